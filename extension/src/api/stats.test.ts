// get_stats() on the peer connection and the data channel (README.md,
// "Connection stats"): the real stack on loopback through the facade and through the C
// client (the Dictionary the shims build, written by bridge/client/wc_stats_dictionary.c),
// and the fake where the numbers mean the same.
import { afterEach, describe, expect, it } from 'vitest';
import { candidateStats, dtlsState } from '../core/peer-stats.js';
import { ChannelState, GodotError, WriteMode } from '../godot/enums.generated.js';
import { LOOPBACK, pollUntil, wire } from '../testing/loopback.js';
import type { RtcChannel, RtcPeer, RtcSession } from '../testing/rtc-shape.js';
import { FAKE, REAL_SUBJECTS, type Subject, sessionsOf } from '../testing/subjects.js';

const sessions: RtcSession[] = [];
const newSession = sessionsOf(sessions);
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Opened {
  readonly a: RtcPeer;
  readonly b: RtcPeer;
  readonly channel: RtcChannel;
  readonly remote: RtcChannel;
  readonly logs: { level: string; message: string }[];
}

async function open(subject: Subject): Promise<Opened> {
  const { session, logs } = newSession(subject);
  const a = session.createPeerConnection();
  const b = session.createPeerConnection();
  expect(a.initialize(LOOPBACK)).toBe(GodotError.OK);
  expect(b.initialize(LOOPBACK)).toBe(GodotError.OK);
  const channel = a.createDataChannel('stats', {})!;
  let remote: RtcChannel | null = null;
  b.connect('data_channel_received', (ch) => (remote = ch));
  wire(a, b);
  expect(a.createOffer()).toBe(GodotError.OK);
  await pollUntil([a, b], () => channel.getReadyState() === ChannelState.STATE_OPEN && remote?.getReadyState() === ChannelState.STATE_OPEN, 10_000, 'the channel open');
  return { a, b, channel, remote: remote!, logs };
}

type Dict = Record<string, unknown>;
const pairOf = (stats: Dict) => stats.selected_pair as { local: Dict; remote: Dict };

/** a sends `a` messages of these sizes, b sends `b`; both ends read them all. */
async function exchange(o: Opened, sizesA: number[], sizesB: number[], gapMs: number): Promise<void> {
  for (const [i, n] of sizesA.entries()) {
    expect(o.channel.putPacket(new Uint8Array(n).fill(i))).toBe(GodotError.OK);
    if (gapMs > 0) await wait(gapMs);
  }
  o.remote.setWriteMode(WriteMode.WRITE_MODE_TEXT);
  for (const n of sizesB) expect(o.remote.putPacket(new Uint8Array(Buffer.from('x'.repeat(n))))).toBe(GodotError.OK);
  let gotB = 0;
  let gotA = 0;
  await pollUntil([o.a, o.b], () => {
    while (o.remote.getAvailablePacketCount() > 0) (o.remote.getPacket(), gotB++);
    while (o.channel.getAvailablePacketCount() > 0) (o.channel.getPacket(), gotA++);
    return gotB === sizesA.length && gotA === sizesB.length;
  }, 10_000, 'every message read');
}

const SIZES_A = [10, 20, 30, 40, 50, 1, 1, 1];
const SIZES_B = [7, 8, 9];
const sum = (sizes: number[]) => sizes.reduce((x, y) => x + y, 0);

describe.each(REAL_SUBJECTS)('get_stats() on the real stack (loopback) through %s', (_name, subject) => {
  it('a connected pair: host/host on 127.0.0.1, exact message counts, the stack\'s byte counters agree across the pair, 0 < RTT < 1000 ms', async () => {
    const o = await open(subject);
    // Spaced out, so SCTP acknowledges each after its delayed-SACK wait and measures an RTT.
    await exchange(o, SIZES_A, SIZES_B, 30);
    await pollUntil([o.a, o.b], () => (o.a.getStats().rtt_msec as number) > 0, 5_000, 'an RTT measurement on a');
    // The counters of one side's sends and the other side's receipts meet once all is delivered.
    await pollUntil([o.a, o.b], () => o.a.getStats().bytes_sent === o.b.getStats().bytes_received && o.b.getStats().bytes_sent === o.a.getStats().bytes_received, 5_000, 'byte counters to agree');
    const sa = o.a.getStats();
    const sb = o.b.getStats();
    expect(sa).toMatchObject({ connection_state: 'connected', dtls_state: 'connected', gathering_state: 'complete', signaling_state: 'stable' });
    expect(['connected', 'completed']).toContain(sa.ice_state);
    expect(['connected', 'completed']).toContain(sb.ice_state);
    expect(sa.connected_msec).toBeGreaterThan(0);
    expect(sa.rtt_msec).toBeGreaterThan(0);
    expect(sa.rtt_msec).toBeLessThan(1000);
    expect(sa.rtt_smoothed_msec).toBe(sa.rtt_msec);
    // libdatachannel counts the payload bytes of data-channel messages only (no DCEP, no headers).
    expect(sa.bytes_sent).toBe(sum(SIZES_A));
    expect(sa.bytes_received).toBe(sum(SIZES_B));
    expect(sb.bytes_sent).toBe(sum(SIZES_B));
    expect(sb.bytes_received).toBe(sum(SIZES_A));
    expect([sa.packets_sent, sa.packets_received, sb.packets_sent, sb.packets_received]).toEqual([SIZES_A.length, SIZES_B.length, SIZES_B.length, SIZES_A.length]);
    // a (the offerer) got b's host candidate before its checks; b may meet a's
    // address first in a's check, while the core still holds a's candidates
    // (core-peer.ts, the offerer's gate), and then names it peer-reflexive
    // (RFC 8445 section 7.3.1.3).
    expect(pairOf(sa).local).toMatchObject({ type: 'host', address: '127.0.0.1', transport: 'udp' });
    expect(pairOf(sa).remote).toMatchObject({ type: 'host', address: '127.0.0.1', transport: 'udp' });
    expect(pairOf(sb).local).toMatchObject({ type: 'host', address: '127.0.0.1', transport: 'udp' });
    expect(pairOf(sb).remote).toMatchObject({ address: '127.0.0.1', transport: 'udp' });
    expect(['host', 'prflx']).toContain(pairOf(sb).remote.type);
    for (const [mine, theirs] of [[sa, sb], [sb, sa]] as const) {
      expect(pairOf(mine).local.port).toBeGreaterThan(0);
      expect(pairOf(mine).local.port).toBe(pairOf(theirs).remote.port);
    }
    expect(o.logs.filter((line) => line.level === 'error' || line.level === 'warning')).toEqual([]);
  });

  it('data channel get_stats(): exact counters for a known message sequence, on both ends', async () => {
    const o = await open(subject);
    await exchange(o, SIZES_A, SIZES_B, 0);
    await pollUntil([o.a, o.b], () => o.channel.getBufferedAmount() === 0, 5_000, 'the send buffer drained');
    expect(o.channel.getStats()).toEqual({
      label: 'stats', id: o.channel.getId(), ready_state: 'open',
      messages_sent: SIZES_A.length, bytes_sent: sum(SIZES_A), messages_received: SIZES_B.length, bytes_received: sum(SIZES_B),
      buffered_amount: 0, dropped_packets: 0,
    });
    expect(o.remote.getStats()).toMatchObject({
      label: 'stats', id: o.channel.getId(), ready_state: 'open',
      messages_sent: SIZES_B.length, bytes_sent: sum(SIZES_B), messages_received: SIZES_A.length, bytes_received: sum(SIZES_A), dropped_packets: 0,
    });
    o.channel.close();
    await pollUntil([o.a, o.b], () => o.channel.getReadyState() === ChannelState.STATE_CLOSED, 5_000, 'the channel closed');
    expect(o.channel.getStats()).toMatchObject({ ready_state: 'closed', messages_sent: SIZES_A.length, bytes_received: sum(SIZES_B) });
  });

  it('a new peer connection: states new/stable, zero counters, no pair (no WebRTC object is made for it)', () => {
    const { session } = newSession(subject);
    expect(session.createPeerConnection().getStats()).toEqual({
      connection_state: 'new', ice_state: 'new', dtls_state: 'new', gathering_state: 'new', signaling_state: 'stable',
      connected_msec: 0, rtt_msec: 0, rtt_smoothed_msec: 0, bytes_sent: 0, bytes_received: 0, packets_sent: 0, packets_received: 0,
      selected_pair: {},
    });
  });

  it('a closed peer connection: states closed, no RTT or pair, its last counters kept; initialize() starts them again', async () => {
    const o = await open(subject);
    await exchange(o, SIZES_A, SIZES_B, 0);
    await pollUntil([o.a, o.b], () => o.a.getStats().bytes_received === sum(SIZES_B), 5_000, 'b\'s bytes counted on a');
    o.a.close();
    expect(o.a.getStats()).toEqual({
      connection_state: 'closed', ice_state: 'closed', dtls_state: 'closed', gathering_state: 'complete', signaling_state: 'closed',
      connected_msec: 0, rtt_msec: 0, rtt_smoothed_msec: 0,
      bytes_sent: sum(SIZES_A), bytes_received: sum(SIZES_B), packets_sent: SIZES_A.length, packets_received: SIZES_B.length,
      selected_pair: {},
    });
    expect(o.a.initialize(LOOPBACK)).toBe(GodotError.OK);
    expect(o.a.getStats()).toMatchObject({ connection_state: 'new', ice_state: 'new', bytes_sent: 0, packets_sent: 0, selected_pair: {} });
  });
});

describe('get_stats() on the fake stack', () => {
  it('counts the same messages and bytes, pairs host/host, and reports no RTT (the fake measures none)', async () => {
    const o = await open(FAKE);
    await exchange(o, SIZES_A, SIZES_B, 0);
    const sa = o.a.getStats();
    expect(sa).toMatchObject({
      connection_state: 'connected', ice_state: 'connected', dtls_state: 'connected', rtt_msec: 0,
      bytes_sent: sum(SIZES_A), bytes_received: sum(SIZES_B), packets_sent: SIZES_A.length, packets_received: SIZES_B.length,
    });
    expect(pairOf(sa).local).toMatchObject({ type: 'host', address: '127.0.0.1', transport: 'udp' });
    expect(o.remote.getStats()).toMatchObject({ messages_sent: SIZES_B.length, messages_received: SIZES_A.length, bytes_received: sum(SIZES_A) });
  });
});

describe('how get_stats() names what the stack reports', () => {
  it('dtls_state is derived from the connection and ICE states by the documented rule', () => {
    expect(dtlsState('new', 'new')).toBe('new');
    expect(dtlsState('connecting', 'checking')).toBe('new');
    expect(dtlsState('connecting', 'connected')).toBe('connecting');
    expect(dtlsState('connecting', 'completed')).toBe('connecting');
    expect(dtlsState('connected', 'completed')).toBe('connected');
    expect(dtlsState('disconnected', 'disconnected')).toBe('connected');
    expect(dtlsState('failed', 'connected')).toBe('failed');
    expect(dtlsState('closed', 'closed')).toBe('closed');
  });

  it('candidate types and transports use the lower-case names; anything else is "unknown"', () => {
    expect(candidateStats({ type: 'relay', address: '10.0.0.1', port: 3478, transport: 'UDP' })).toEqual({ type: 'relay', address: '10.0.0.1', port: 3478, transport: 'udp' });
    expect(candidateStats({ type: 'srflx', address: 'a', port: 1, transport: 'TCP_active' }).transport).toBe('tcp');
    expect(candidateStats({ type: 'weird', address: 'a', port: 1, transport: 'SCTP' })).toMatchObject({ type: 'unknown', transport: 'unknown' });
  });
});
