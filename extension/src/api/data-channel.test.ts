// docs/semantics.md, "WebRTCDataChannel": one named test per row, against every subject
// (extension/src/testing/subjects.ts: the facade on the fake stack and on node-datachannel,
// the C client with the real worker) and over in-band and negotiated channels.
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelState, GodotError, WriteMode } from '../godot/enums.generated.js';
import { LOOPBACK, openPair, pollUntil, wire } from '../testing/loopback.js';
import { reorderingMessages } from '../testing/reordering-transport.js';
import type { RtcChannel, RtcSession } from '../testing/rtc-shape.js';
import { SUBJECTS, itOnTransport, sessionsOf, withStackUnseen } from '../testing/subjects.js';

const sessions: RtcSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

const newSession = sessionsOf(sessions);

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const KINDS = [
  ['in-band', {}],
  ['negotiated', { negotiated: true, id: 9 }],
] as const;

describe.each(SUBJECTS)('WebRTCDataChannel on %s', (_name, subject) => {
  describe.each(KINDS)('%s', (kind, options) => {
    const open = (session: RtcSession, extra: Record<string, unknown> = {}) => openPair(session, 'chat', { ...options, ...extra });

    it('put_packet(): binary bytes arrive as they were sent, NUL bytes included', async () => {
      const { session } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      expect(channel.putPacket(bytes(0, 1, 0, 255, 0))).toBe(GodotError.OK);
      expect(channel.putPacket(bytes())).toBe(GodotError.OK);
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 2);
      expect([...remote.getPacket()]).toEqual([0, 1, 0, 255, 0]);
      expect(remote.wasStringPacket()).toBe(false);
      expect(remote.getPacket().byteLength).toBe(0);
    });

    it('put_packet(): text mode sends a string; NUL bytes and all after them are kept', async () => {
      const { session } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      channel.setWriteMode(WriteMode.WRITE_MODE_TEXT);
      expect(channel.putPacket(text('a\u0000b\u0000 héllo ✓'))).toBe(GodotError.OK);
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 1);
      const p = remote.getPacket();
      expect(Buffer.from(p).toString('utf8')).toBe('a\u0000b\u0000 héllo ✓');
      expect(remote.wasStringPacket()).toBe(true);
    });

    it('put_packet(): invalid UTF-8 in text mode is ERR_INVALID_PARAMETER and nothing is sent', async () => {
      const { session, logs } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      channel.setWriteMode(WriteMode.WRITE_MODE_TEXT);
      expect(channel.putPacket(bytes(0xc3, 0x28))).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(logs).toHaveLength(1);
      expect(channel.putPacket(text('ok'))).toBe(GodotError.OK);
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 1);
      expect(Buffer.from(remote.getPacket()).toString()).toBe('ok');
    });

    it('put_packet(): only when OPEN, else FAILED with one line', async () => {
      const { session, logs } = newSession(subject);
      const pc = session.createPeerConnection();
      pc.initialize(LOOPBACK);
      const ch = pc.createDataChannel('c', options)!;
      expect(ch.putPacket(bytes(1))).toBe(GodotError.FAILED);
      expect(logs).toHaveLength(1);
      const { channel } = await open(session);
      channel.close();
      expect(channel.putPacket(bytes(1))).toBe(GodotError.FAILED);
      expect(logs).toHaveLength(2);
    });

    it('put_packet(): larger than get_max_packet_size() is ERR_INVALID_PARAMETER', async () => {
      const { session, logs } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      const max = channel.getMaxPacketSize();
      expect(channel.putPacket(new Uint8Array(max + 1))).toBe(GodotError.ERR_INVALID_PARAMETER);
      expect(logs).toHaveLength(1);
      expect(channel.putPacket(new Uint8Array(max).fill(7))).toBe(GodotError.OK);
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 1);
      expect(remote.getPacket().byteLength).toBe(max);
    });

    it('put_packet(): a full send path is ERR_BUSY, nothing half-sent; get_buffered_amount() tells what waits', async () => {
      const { session } = newSession(subject, { sendLimit: 3000 });
      const { a, b, channel, remote } = await open(session);
      withStackUnseen(subject, () => {
        expect(channel.putPacket(new Uint8Array(1000).fill(1))).toBe(GodotError.OK);
        expect(channel.putPacket(new Uint8Array(1000).fill(2))).toBe(GodotError.OK);
        expect(channel.getBufferedAmount()).toBe(2000);
        expect(channel.putPacket(new Uint8Array(1500).fill(3))).toBe(GodotError.ERR_BUSY);
        expect(channel.getBufferedAmount()).toBe(2000);
      });
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 2 && channel.getBufferedAmount() === 0);
      expect(channel.putPacket(new Uint8Array(1500).fill(3))).toBe(GodotError.OK);
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 3);
      expect([1, 2, 3].map(() => remote.getPacket().byteLength)).toEqual([1000, 1000, 1500]);
    });

    it('get_packet(): arrival order; empty queue is ERR_UNAVAILABLE', async () => {
      const { session } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      expect(remote.getPacket().byteLength).toBe(0);
      expect(remote.getPacketError()).toBe(GodotError.ERR_UNAVAILABLE);
      for (let i = 0; i < 50; i++) channel.putPacket(bytes(i));
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 50);
      for (let i = 0; i < 50; i++) expect(remote.getPacket()[0]).toBe(i);
      expect(remote.getPacket().byteLength).toBe(0);
      expect(remote.getPacketError()).toBe(GodotError.ERR_UNAVAILABLE);
    });

    it('get_available_packet_count(): counts packets that arrived since the last poll()', async () => {
      const { session } = newSession(subject);
      const { channel, remote } = await open(session);
      channel.putPacket(bytes(1));
      channel.putPacket(bytes(2));
      const deadline = Date.now() + 5000;
      while (remote.getAvailablePacketCount() < 2 && Date.now() < deadline) await wait(2);
      expect(remote.getAvailablePacketCount()).toBe(2);
    });

    it('packets received before a close stay readable after it', async () => {
      const { session } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      channel.putPacket(bytes(1));
      channel.putPacket(bytes(2));
      await pollUntil([a, b], () => remote.getAvailablePacketCount() === 2);
      b.close();
      expect(remote.getReadyState()).toBe(ChannelState.STATE_CLOSED);
      expect(remote.getAvailablePacketCount()).toBe(2);
      expect(remote.getPacket()[0]).toBe(1);
      expect(remote.getPacket()[0]).toBe(2);
    });

    it('write_mode: WRITE_MODE_BINARY by default', async () => {
      const { session } = newSession(subject);
      const ch = session.createPeerConnection().createDataChannel('x', options)!;
      expect(ch.getWriteMode()).toBe(WriteMode.WRITE_MODE_BINARY);
    });

    it('get_ready_state(): CONNECTING → OPEN → CLOSING → CLOSED', async () => {
      const { session } = newSession(subject);
      const pc = session.createPeerConnection();
      pc.initialize(LOOPBACK);
      expect(pc.createDataChannel('x', options)!.getReadyState()).toBe(ChannelState.STATE_CONNECTING);
      const { a, b, channel, remote } = await open(session);
      expect(channel.getReadyState()).toBe(ChannelState.STATE_OPEN);
      channel.close();
      expect(channel.getReadyState()).toBe(ChannelState.STATE_CLOSING);
      await pollUntil([a, b], () => channel.getReadyState() === ChannelState.STATE_CLOSED && remote.getReadyState() === ChannelState.STATE_CLOSED);
    });

    it('close(): the remote end sees CLOSED', async () => {
      const { session } = newSession(subject);
      const { a, b, channel, remote } = await open(session);
      remote.close();
      await pollUntil([a, b], () => channel.getReadyState() === ChannelState.STATE_CLOSED);
      expect(a.getConnectionState()).not.toBe(5);
    });

    it('get_label(), get_protocol(): as created, non-ASCII included, on both ends', async () => {
      const { session } = newSession(subject);
      const label = 'чат 🎮 ünïcode';
      const { channel, remote } = await openPair(session, label, { ...options, protocol: 'プロトコル' });
      for (const ch of [channel, remote]) {
        expect(ch.getLabel()).toBe(label);
        expect(ch.getProtocol()).toBe('プロトコル');
      }
    });

    it(`is_negotiated(): ${kind === 'negotiated' ? 'true' : 'false'} on both ends`, async () => {
      const { session } = newSession(subject);
      const { channel, remote } = await open(session);
      expect(channel.isNegotiated()).toBe(kind === 'negotiated');
      expect(remote.isNegotiated()).toBe(kind === 'negotiated');
    });

    it('get_id(): the stream id once assigned, the same on both ends', async () => {
      const { session } = newSession(subject);
      const { channel, remote } = await open(session);
      expect(channel.getId()).not.toBe(65535);
      expect(remote.getId()).toBe(channel.getId());
      if (kind === 'negotiated') expect(channel.getId()).toBe(9);
    });

    it('get_max_packet_life_time() / get_max_retransmits(): the value given, 65535 when unset', async () => {
      const { session } = newSession(subject);
      const pc = session.createPeerConnection();
      const reliable = pc.createDataChannel('r', options)!;
      expect(reliable.getMaxPacketLifeTime()).toBe(65535);
      expect(reliable.getMaxRetransmits()).toBe(65535);
      expect(reliable.isOrdered()).toBe(true);
      const id = (n: number) => (kind === 'negotiated' ? { negotiated: true, id: n } : {});
      const life = pc.createDataChannel('l', { ...id(20), maxPacketLifeTime: 250, ordered: false })!;
      expect(life.getMaxPacketLifeTime()).toBe(250);
      expect(life.getMaxRetransmits()).toBe(65535);
      expect(life.isOrdered()).toBe(false);
      const retr = pc.createDataChannel('t', { ...id(21), maxRetransmits: 0 })!;
      expect(retr.getMaxRetransmits()).toBe(0);
      expect(retr.getMaxPacketLifeTime()).toBe(65535);
    });

    it('maxPacketLifetime (WebRTCMultiplayerPeer\'s spelling) means maxPacketLifeTime', () => {
      const { session } = newSession(subject);
      const pc = session.createPeerConnection();
      const ch = pc.createDataChannel('u', { ...(kind === 'negotiated' ? { negotiated: true, id: 3 } : {}), ordered: false, maxPacketLifetime: 1 })!;
      expect(ch.getMaxPacketLifeTime()).toBe(1);
    });

    it('get_max_packet_size(): the negotiated maximum once open', async () => {
      const { session } = newSession(subject);
      const { channel, remote } = await open(session);
      expect(channel.getMaxPacketSize()).toBe(262144);
      expect(remote.getMaxPacketSize()).toBe(262144);
    });

    it('poll(): OK and never blocks', async () => {
      const { session } = newSession(subject);
      const { channel } = await open(session);
      const t0 = process.hrtime.bigint();
      expect(channel.poll()).toBe(GodotError.OK);
      expect(Number(process.hrtime.bigint() - t0)).toBeLessThan(50e6);
    });

    it('receive memory: a reliable channel past the limit closes loudly and drops nothing', async () => {
      const { session, logs } = newSession(subject, { receiveLimit: 4000 });
      const { a, b, channel, remote } = await open(session);
      for (let i = 0; i < 8; i++) expect(channel.putPacket(new Uint8Array(1000).fill(i))).toBe(GodotError.OK);
      await pollUntil([a, b], () => remote.getReadyState() === ChannelState.STATE_CLOSED || remote.getReadyState() === ChannelState.STATE_CLOSING);
      const errors = logs.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toContain('4000 bytes');
      // Everything that arrived is still there, in order.
      const got: number[] = [];
      while (remote.getAvailablePacketCount() > 0) got.push(remote.getPacket()[0]!);
      expect(got.length).toBeGreaterThanOrEqual(5);
      expect(got).toEqual(got.map((_, i) => i));
    });
  });

  it('receive memory: an unreliable channel past the limit drops its oldest packets and counts them', async () => {
    const { session, logs } = newSession(subject, { receiveLimit: 4000 });
    const { a, b, channel, remote } = await openPair(session, 'u', { negotiated: true, id: 4, ordered: false, maxRetransmits: 0 });
    for (let i = 0; i < 10; i++) expect(channel.putPacket(new Uint8Array(1000).fill(i))).toBe(GodotError.OK);
    await pollUntil([a, b], () => remote.droppedPacketCount + remote.getAvailablePacketCount() === 10);
    expect(remote.getReadyState()).toBe(ChannelState.STATE_OPEN);
    expect(remote.droppedPacketCount).toBe(6);
    const got: number[] = [];
    while (remote.getAvailablePacketCount() > 0) got.push(remote.getPacket()[0]!);
    expect(got.sort((x, y) => x - y)).toEqual([6, 7, 8, 9]);
    b.poll();
    const drops = logs.filter((l) => l.level === 'warning' && l.message.includes('dropped'));
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(drops.at(-1)!.message).toContain('(6 in all)');
  });

  it('is_negotiated(): false for an in-band channel created after connecting (webrtc-native says true)', async () => {
    const { session } = newSession(subject);
    const { a, b } = await openPair(session);
    let got: RtcChannel | null = null;
    b.connect('data_channel_received', (ch) => (got = ch));
    const late = a.createDataChannel('late')!;
    await pollUntil([a, b], () => late.getReadyState() === ChannelState.STATE_OPEN && got !== null);
    expect(late.isNegotiated()).toBe(false);
    expect(got!.isNegotiated()).toBe(false);
    expect(late.getId()).not.toBe(65535);
  });

  itOnTransport(subject, 'a message that arrives after the stack reported the channel closed is still delivered', 'reorders the stack\'s reports with a transport wrapper', async (transport) => {
    const { session } = newSession(subject, { transport: reorderingMessages(transport) });
    const { a, b, channel, remote } = await openPair(session);
    for (const n of [1, 2, 3]) expect(channel.putPacket(bytes(n))).toBe(GodotError.OK);
    channel.close();
    await pollUntil([a, b], () => remote.getReadyState() === ChannelState.STATE_CLOSED && remote.getAvailablePacketCount() === 3);
    expect([remote.getPacket()[0], remote.getPacket()[0], remote.getPacket()[0]]).toEqual([1, 2, 3]);
  });

  it('get_id(): 65535 until a stream id is assigned', () => {
    const { session } = newSession(subject);
    const ch = session.createPeerConnection().createDataChannel('x')!;
    expect(ch.getId()).toBe(65535);
  });

  it('an unreliable channel is configured unreliable end to end', async () => {
    const { session } = newSession(subject);
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    const ch = a.createDataChannel('u', { ordered: false, maxRetransmits: 0 })!;
    let remote: RtcChannel | null = null;
    b.connect('data_channel_received', (c) => (remote = c));
    wire(a, b);
    a.createOffer();
    await pollUntil([a, b], () => ch.getReadyState() === ChannelState.STATE_OPEN && remote !== null);
    expect(ch.isOrdered()).toBe(false);
    expect(ch.getMaxRetransmits()).toBe(0);
  });
});
