// Separate hosts: each peer runs in its own network namespace (its own
// interfaces, addresses and routes), signalled through this process.
//
//   lan:  lan-a 10.77.0.1 ──veth── 10.77.0.2 lan-b
//   wan:  wan-a 10.78.0.1 ──veth── 10.78.0.2 wan-b    direct traffic dropped both ways
//         wan-a 10.79.1.2 ──veth── 10.79.1.1 turn 10.79.2.1 ──veth── 10.79.2.2 wan-b
//                                  (coturn; the turn host does not forward)
//         Unrouted traffic in the wan is silently dropped (netns.ts drop()).
//
// No namespace has a link to the machine's own, so no packet leaves them.
// Needs root (ip netns); without it every test here is reported as skipped,
// with the reason in its name.
import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { ConnectionState } from '../../extension/src/godot/enums.generated.js';
import { namespaceSkipReason, titled } from '../../extension/src/testing/privileges.js';
import { candidateAddress, candidateType } from './browser-signalling.js';
import { Coturn, TURN_PASSWORD, TURN_USER } from './coturn.js';
import { HostPeer, bundleHostPeer, greeted, relaySignalling, waitFor } from './host-peer.js';
import { Namespaces, leftoverNamespaces } from './netns.js';

const TURN_PORT = 3478;
const SKIP = namespaceSkipReason();
/** it.concurrent, or it.skip (the reason in the title) without root. */
const hostIt = SKIP === undefined ? it.concurrent : it.skip;
/** libjuice gives up on a checklist after about 40 s (its STUN retransmission schedule). */
const FAIL_WITHIN_MS = 50_000;

interface Lab {
  readonly ns: Namespaces;
  readonly hosts: { lanA: string; lanB: string; wanA: string; wanB: string; turn: string };
  readonly coturn: Coturn;
  readonly bundle: string;
}

const peers: HostPeer[] = [];
let lab: Promise<Lab> | undefined;

/** Built on first use, inside a test, so that a failure to build it fails each test with the reason. */
function ready(): Promise<Lab> {
  lab ??= (async () => {
    const ns = new Namespaces();
    try {
      const hosts = { lanA: ns.add('lan-a'), lanB: ns.add('lan-b'), wanA: ns.add('wan-a'), wanB: ns.add('wan-b'), turn: ns.add('turn') };
      ns.link({ a: { ns: hosts.lanA, address: '10.77.0.1/24' }, b: { ns: hosts.lanB, address: '10.77.0.2/24' } });
      ns.link({ a: { ns: hosts.wanA, address: '10.78.0.1/24' }, b: { ns: hosts.wanB, address: '10.78.0.2/24' } });
      // Direct traffic between the wan hosts vanishes, as behind a firewall.
      ns.drop(hosts.wanA, '10.78.0.2/32');
      ns.drop(hosts.wanB, '10.78.0.1/32');
      ns.link({ a: { ns: hosts.wanA, address: '10.79.1.2/24' }, b: { ns: hosts.turn, address: '10.79.1.1/24' } });
      ns.link({ a: { ns: hosts.wanB, address: '10.79.2.2/24' }, b: { ns: hosts.turn, address: '10.79.2.1/24' } });
      // What no route covers vanishes too, as on the Internet. The TURN host
      // needs this: coturn 4.6.1 closes an allocation ("reason: general") as
      // soon as relaying to a peer address fails with "network unreachable"
      // (measured here; the peers' 10.78.0.x candidates are such addresses).
      for (const host of [hosts.wanA, hosts.wanB, hosts.turn]) ns.drop(host, 'default');
      const [coturn, bundle] = await Promise.all([
        Coturn.start({ listen: ['10.79.1.1', '10.79.2.1'], port: TURN_PORT, netns: hosts.turn }),
        bundleHostPeer(),
      ]);
      return { ns, hosts, coturn, bundle };
    } catch (error) {
      ns.destroy();
      throw error;
    }
  })();
  return lab;
}

afterAll(async () => {
  if (SKIP !== undefined) return;
  await Promise.all(peers.map((peer) => peer.stop()));
  if (lab) {
    const built = await lab.catch(() => undefined);
    await built?.coturn.stop();
    built?.ns.destroy();
    if (built) rmSync(built.bundle, { force: true });
  }
  expect(leftoverNamespaces()).toEqual([]);
}, 20_000);

function pair(nsA: string, nsB: string, bundle: string): [HostPeer, HostPeer] {
  const a = new HostPeer('offerer', nsA, bundle);
  const b = new HostPeer('answerer', nsB, bundle);
  peers.push(a, b);
  relaySignalling(a, b);
  return [a, b];
}

function turnServer(address: string) {
  return { urls: `turn:${address}:${TURN_PORT}`, username: TURN_USER, credential: TURN_PASSWORD };
}

hostIt(titled('two hosts joined by a veth pair connect directly, with host candidates only', SKIP), async () => {
  const { hosts, bundle } = await ready();
  const [a, b] = pair(hosts.lanA, hosts.lanB, bundle);
  b.send({ op: 'start', role: 'answerer', config: { iceServers: [] } });
  a.send({ op: 'start', role: 'offerer', config: { iceServers: [] } });
  await waitFor([a, b], () => greeted(a, b), 20_000, 'a greeting each way');
  for (const peer of [a, b]) {
    expect(peer.connection).toBe(ConnectionState.STATE_CONNECTED);
    expect(peer.candidates.map(candidateType)).not.toContain('relay');
    expect(peer.candidates.map(candidateAddress).every((address) => address?.startsWith('10.77.0.'))).toBe(true);
  }
  expect(a.candidates.map(candidateAddress)).toContain('10.77.0.1');
  expect(b.candidates.map(candidateAddress)).toContain('10.77.0.2');
}, 40_000);

hostIt(titled('with direct traffic blocked and no TURN server, both hosts report STATE_FAILED', SKIP), async () => {
  const { hosts, bundle } = await ready();
  const [a, b] = pair(hosts.wanA, hosts.wanB, bundle);
  b.send({ op: 'start', role: 'answerer', config: { iceServers: [] } });
  a.send({ op: 'start', role: 'offerer', config: { iceServers: [] } });
  const failed = (peer: HostPeer) => peer.connectionStates.includes(ConnectionState.STATE_FAILED);
  await waitFor([a, b], () => failed(a) && failed(b), FAIL_WITHIN_MS, 'both peers FAILED');
  // The stack closes a failed connection at once; the core keeps reporting
  // FAILED until the script calls close() (docs/semantics.md).
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  for (const peer of [a, b]) {
    expect(peer.connectionStates).not.toContain(ConnectionState.STATE_CONNECTED);
    expect(peer.candidates.map(candidateType).every((type) => type === 'host')).toBe(true);
    expect(peer.connectionStates.at(-1)).toBe(ConnectionState.STATE_FAILED);
    expect(peer.connectionStates).not.toContain(ConnectionState.STATE_CLOSED);
  }
  // Each host offered both its addresses: the dropped link and the one towards the TURN host.
  expect(a.candidates.map(candidateAddress).sort()).toEqual(['10.78.0.1', '10.79.1.2']);
  expect(b.candidates.map(candidateAddress).sort()).toEqual(['10.78.0.2', '10.79.2.2']);
}, FAIL_WITHIN_MS + 10_000);

hostIt(titled('with direct traffic blocked, a relay through coturn that both hosts reach connects them', SKIP), async () => {
  const { hosts, bundle, coturn } = await ready();
  const [a, b] = pair(hosts.wanA, hosts.wanB, bundle);
  // Policy "all": ICE itself has to find out that only the relay works.
  b.send({ op: 'start', role: 'answerer', config: { iceServers: [turnServer('10.79.2.1')] } });
  a.send({ op: 'start', role: 'offerer', config: { iceServers: [turnServer('10.79.1.1')] } });
  await waitFor([a, b], () => greeted(a, b), 20_000, 'a greeting each way through the relay');
  for (const peer of [a, b]) {
    expect(peer.connection).toBe(ConnectionState.STATE_CONNECTED);
    const relays = peer.candidates.filter((line) => candidateType(line) === 'relay');
    expect(relays.length).toBeGreaterThan(0);
    expect(relays.map(candidateAddress).every((address) => address === '10.79.1.1' || address === '10.79.2.1')).toBe(true);
  }
  // coturn allocated a relay for each host and let the other's traffic through it.
  await coturn.waitForLog(() => coturn.allocations() >= 2, 5_000, 'two allocations');
  expect(coturn.linesFor(TURN_USER).join('\n')).toMatch(/CREATE_PERMISSION processed, success|CHANNEL_BIND processed, success/);
}, 40_000);
