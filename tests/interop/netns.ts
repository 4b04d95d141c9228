// Test hosts in network namespaces (iproute2: `ip netns`, veth pairs). Every
// namespace made here has no link to the machine's own namespace, so nothing
// sent inside can leave; all of them are deleted by `destroy()` (and, as a
// last resort, at process exit). Needs root: without it, `create()` throws
// one clear error instead of skipping.
import { execFileSync, spawnSync } from 'node:child_process';
import { sweepNamespaces } from './leftovers.js';

export interface Link {
  /** Namespace and address (with prefix length) of each end. */
  readonly a: { readonly ns: string; readonly address: string };
  readonly b: { readonly ns: string; readonly address: string };
}

function ip(...args: string[]): string {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(`ip ${args.join(' ')} failed (status ${run.status}): ${(run.error?.message ?? run.stderr).trim()}`);
  }
  return run.stdout;
}

const liveNamespaces = new Set<string>();
process.once('exit', () => {
  for (const ns of liveNamespaces) spawnSync('ip', ['netns', 'del', ns]);
});

export class Namespaces {
  readonly #names: string[] = [];
  #links = 0;
  readonly #sinks = new Set<string>();

  /** Names are prefixed with a per-process tag so parallel runs never collide. */
  static readonly tag = `gwi${process.pid}`;

  constructor() {
    sweepNamespaces('gwi');
  }

  /** A namespace with only `lo` (up); its name is returned. */
  add(name: string): string {
    const ns = `${Namespaces.tag}-${name}`;
    try {
      ip('netns', 'add', ns);
    } catch (error) {
      throw new Error(`these tests make network namespaces and need root (CI runs as root; here uid ${process.getuid?.()}): ${(error as Error).message}`);
    }
    this.#names.push(ns);
    liveNamespaces.add(ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    // A namespace starts with forwarding off; say so rather than rely on it.
    this.sysctl(ns, 'net/ipv4/ip_forward', '0');
    return ns;
  }

  /** A veth pair between two namespaces, both ends up with their addresses. */
  link(link: Link): void {
    const n = this.#links++;
    const [ifA, ifB] = [`veth${n}a`, `veth${n}b`];
    ip('link', 'add', ifA, 'netns', link.a.ns, 'type', 'veth', 'peer', 'name', ifB, 'netns', link.b.ns);
    for (const [end, dev] of [[link.a, ifA], [link.b, ifB]] as const) {
      ip('-n', end.ns, 'addr', 'add', end.address, 'dev', dev);
      ip('-n', end.ns, 'link', 'set', dev, 'up');
    }
  }

  /**
   * Silently drops everything `ns` sends to `destination` (a prefix, or
   * `default` for whatever no other route covers), as a firewall or the
   * Internet would: a route into an ifb device, which discards what it is
   * given directly (this kernel has no dummy or netem; a `blackhole` route
   * would make sendto() fail with EINVAL instead, which no firewall does).
   */
  drop(ns: string, destination: string): void {
    if (!this.#sinks.has(ns)) {
      ip('-n', ns, 'link', 'add', 'sink0', 'type', 'ifb');
      ip('-n', ns, 'link', 'set', 'sink0', 'up');
      this.#sinks.add(ns);
    }
    ip('-n', ns, 'route', 'add', destination, 'dev', 'sink0');
  }

  /** Writes /proc/sys/<key> as seen from inside `ns` (no procps needed). */
  sysctl(ns: string, key: string, value: string): void {
    ip('netns', 'exec', ns, 'sh', '-c', `echo ${value} > /proc/sys/${key}`);
  }

  /** `ip -n ns <args>` output, for diagnostics. */
  show(ns: string, ...args: string[]): string {
    return ip('-n', ns, ...args);
  }

  destroy(): void {
    for (const ns of this.#names.splice(0)) {
      spawnSync('ip', ['netns', 'del', ns]);
      liveNamespaces.delete(ns);
    }
  }
}

/** Namespaces of ours still present (a leak check for the tests). */
export function leftoverNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(`${Namespaces.tag}-`));
}
