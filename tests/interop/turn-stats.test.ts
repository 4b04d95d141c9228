// get_stats() through Debian's coturn with iceTransportPolicy "relay"
// (README.md, "Connection stats"): the selected pair is the one the stack
// really uses. coturn listens and relays on 127.0.0.2 while the peers' own
// sockets are on 127.0.0.1 (both loopback): a peer's permission names the
// other's relayed address (127.0.0.2), so coturn drops anything sent to a
// relay port straight from a peer's own socket, and the only path is relay to
// relay. (With everything on 127.0.0.1 libjuice may also select a direct pair
// to an address it learned peer-reflexive from a relayed check: it makes a
// non-relayed pair for every remote candidate, agent.c
// agent_add_candidate_pairs_for_remote; get_stats() then shows host/prflx.)
import { afterAll, expect, it } from 'vitest';
import type { DataChannel } from '../../extension/src/api/data-channel.js';
import { Session } from '../../extension/src/api/session.js';
import { ChannelState, GodotError } from '../../extension/src/godot/enums.generated.js';
import { collectLogs, pollUntil, wire } from '../../extension/src/testing/loopback.js';
import { ndcTransport } from '../../extension/src/transport/ndc-transport.js';
import { Coturn } from './coturn.js';

const USERS = { stats: 'stats-secret' } as const;

let server: Promise<Coturn> | undefined;
afterAll(async () => {
  await (await server?.catch(() => undefined))?.stop();
});

type Dict = Record<string, unknown>;

it('iceTransportPolicy "relay" through coturn on 127.0.0.2: get_stats() names relay candidates at both ends of both selected pairs, on coturn\'s address', async () => {
  server ??= Coturn.start({ listen: ['127.0.0.2'], users: USERS });
  const turn = await server;
  const config = {
    iceServers: [{ urls: `turn:127.0.0.2:${turn.port}`, username: 'stats', credential: USERS.stats }],
    iceTransportPolicy: 'relay',
    libdatachannel: { bindAddress: '127.0.0.1' },
  };
  const { lines, logger } = collectLogs();
  const session = new Session({ transport: ndcTransport, logger });
  try {
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    expect(a.initialize(config)).toBe(GodotError.OK);
    expect(b.initialize(config)).toBe(GodotError.OK);
    const channel = a.createDataChannel('relayed')!;
    let remote: DataChannel | null = null;
    b.connect('data_channel_received', (ch) => (remote = ch));
    wire(a, b);
    expect(a.createOffer()).toBe(GodotError.OK);
    await pollUntil([a, b], () => channel.getReadyState() === ChannelState.STATE_OPEN && remote?.getReadyState() === ChannelState.STATE_OPEN, 15_000, 'the channel open through the relay');
    expect(channel.putPacket(new Uint8Array(100))).toBe(GodotError.OK);
    await pollUntil([a, b], () => remote!.getAvailablePacketCount() === 1 && b.getStats().bytes_received === 100, 10_000, 'the message and its count');

    const sa = a.getStats();
    const sb = b.getStats();
    const pairA = sa.selected_pair as { local: Dict; remote: Dict };
    const pairB = sb.selected_pair as { local: Dict; remote: Dict };
    // With relay only, each side's local candidate is its allocation on coturn, and
    // the remote one is the other side's allocation.
    // Each side's local candidate is its own allocation on coturn, the remote one the
    // other side's allocation.
    for (const pair of [pairA, pairB]) {
      expect(pair.local).toMatchObject({ type: 'relay', address: '127.0.0.2', transport: 'udp' });
      expect(pair.remote).toMatchObject({ type: 'relay', address: '127.0.0.2', transport: 'udp' });
      expect(pair.local.port).not.toBe(turn.port);
    }
    expect(pairA.local.port).toBe(pairB.remote.port);
    expect(pairB.local.port).toBe(pairA.remote.port);
    expect(sa).toMatchObject({ connection_state: 'connected', dtls_state: 'connected', bytes_sent: 100, packets_sent: 1 });
    expect(sb).toMatchObject({ bytes_received: 100, packets_received: 1 });
    expect(turn.allocations('stats')).toBe(2);
    expect(lines.filter((line) => line.level === 'error' || line.level === 'warning')).toEqual([]);
  } finally {
    session.close();
  }
}, 30_000);
