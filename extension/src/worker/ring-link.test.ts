// The worker's ring link: the wire format it decodes and encodes (every command kind, every
// event kind, corrupted records), the agreement between protocol.json and the TypeScript
// sources it must match, and the link itself over an in-memory region with the fake stack:
// HELLO first, replies in order, a full events ring buffered without loss, a corrupt ring
// ending the link, the doorbell's EOF ending it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface ProtocolJson {
  core_status: { values: Array<{ name: string; value: number; godot_error: string }> };
}
import {
  CHANNEL_VALUE_UNSET,
  CORE_STATUS_GODOT_ERROR,
  ChannelDescriptionOffset,
  ChannelFlag,
  CmdAddIceCandidateOffset,
  CmdCreateDataChannelOffset,
  CmdInitializeOffset,
  CmdSendOffset,
  CmdSetDescriptionOffset,
  CoreStatus,
  DescriptionType,
  EvtCandidateOffset,
  EvtChannelBufferedOffset,
  EvtChannelReceivedOffset,
  EvtChannelStateOffset,
  EvtDescriptionOffset,
  EvtHelloOffset,
  EvtLogOffset,
  EvtMessageOffset,
  EvtReplyOffset,
  HelloFeature,
  LogLevel,
  MessageFlag,
  MessageKind as K,
  RingIndex,
  Status as RingStatus,
  VERSION,
  coreStatusName,
} from '../../../bridge/protocol/protocol.js';
import { formatRegion, regionRing, regionSize } from '../../../bridge/ring/region.js';
import { RingConsumer, RingProducer } from '../../../bridge/ring/ring.js';
import { UNSET } from '../config/channel-options.js';
import { Core } from '../core/core.js';
import type { ChannelDescription, CoreEvent } from '../core/events.js';
import { ChannelState, ConnectionState, GodotError } from '../godot/enums.generated.js';
import { Status, toGodotError } from '../godot/status.js';
import { fakeTransport } from '../transport/fake-transport.js';
import { type DoorbellPort, RingLink } from './ring-link.js';
import { type OutRecord, decodeCommand, encodeEvent, encodeReply } from './wire-codec.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();
const MIB = 1024 * 1024;

// ---- a tiny client-side codec for the tests (the C client's wc_wire.c, in TypeScript) -----

interface Cmd {
  kind: number;
  fixed: number;
  u32: Array<[number, number]>;
  i64?: [number, bigint];
  tails: Uint8Array[];
}

function commandBytes(cmd: Cmd): Uint8Array {
  const length = cmd.fixed + cmd.tails.reduce((n, t) => n + t.byteLength, 0);
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  for (const [offset, value] of cmd.u32) view.setUint32(offset, value, true);
  if (cmd.i64) view.setBigInt64(cmd.i64[0], cmd.i64[1], true);
  let at = cmd.fixed;
  for (const tail of cmd.tails) {
    bytes.set(tail, at);
    at += tail.byteLength;
  }
  return bytes;
}

function decode(kind: number, bytes: Uint8Array) {
  return decodeCommand(kind, bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
}

function written(record: OutRecord): { view: DataView; bytes: Uint8Array } {
  const bytes = new Uint8Array(record.length).fill(0xee);
  const view = new DataView(bytes.buffer);
  record.write(bytes, view, 0);
  return { view, bytes };
}

const channel: ChannelDescription = {
  label: 'chät',
  protocol: 'p',
  id: 3,
  ordered: false,
  negotiated: true,
  maxPacketLifeTime: 500,
  maxRetransmits: UNSET,
  maxMessageSize: 262144,
};

describe('protocol.json agrees with the TypeScript sources', () => {
  it('maps each core status to the Godot Error protocol.json names, numbered as the engine API dump numbers it', () => {
    const statuses = (JSON.parse(readFileSync(new URL('../../../bridge/protocol/protocol.json', import.meta.url), 'utf8')) as ProtocolJson).core_status.values;
    expect(CORE_STATUS_GODOT_ERROR).toHaveLength(statuses.length);
    for (const { name, value, godot_error } of statuses) {
      expect(coreStatusName(value)).toBe(name);
      expect(toGodotError(value as Status)).toBe(GodotError[godot_error as keyof typeof GodotError]);
    }
    expect(toGodotError(Status.INVALID_PARAMETER)).toBe(GodotError.ERR_INVALID_PARAMETER);
  });

  it('has the unset value of the channel options', () => {
    expect(CHANNEL_VALUE_UNSET).toBe(UNSET);
  });
});

describe('decodeCommand', () => {
  it('decodes every command kind', () => {
    const config = utf8.encode('{"iceServers":[],"libdatachannel":{"bindAddress":"127.0.0.1"}}');
    expect(decode(K.CREATE_PEER, commandBytes({ kind: K.CREATE_PEER, fixed: 8, u32: [[0, 41]], tails: [] }))).toEqual({
      ok: true,
      requestId: 41,
      command: { op: 'create-peer' },
    });
    expect(decode(K.INITIALIZE, commandBytes({ kind: 0, fixed: 16, u32: [[0, 1], [CmdInitializeOffset.pc, 7], [CmdInitializeOffset.config_length, config.byteLength]], tails: [config] }))).toEqual({
      ok: true,
      requestId: 1,
      command: { op: 'initialize', pc: 7, config: { iceServers: [], libdatachannel: { bindAddress: '127.0.0.1' } } },
    });
    const empty = decode(K.INITIALIZE, commandBytes({ kind: 0, fixed: 16, u32: [[0, 2], [CmdInitializeOffset.pc, 7]], tails: [] }));
    expect(empty.ok && empty.command).toEqual({ op: 'initialize', pc: 7, config: {} });
    const label = utf8.encode('chät');
    const options = utf8.encode('{"ordered":false}');
    expect(
      decode(K.CREATE_DATA_CHANNEL, commandBytes({ kind: 0, fixed: 16, u32: [[0, 3], [CmdCreateDataChannelOffset.pc, 7], [CmdCreateDataChannelOffset.label_length, label.byteLength], [CmdCreateDataChannelOffset.options_length, options.byteLength]], tails: [label, options] })),
    ).toEqual({ ok: true, requestId: 3, command: { op: 'create-data-channel', pc: 7, label: 'chät', options: { ordered: false } } });
    expect(decode(K.CREATE_OFFER, commandBytes({ kind: 0, fixed: 8, u32: [[0, 4], [4, 7]], tails: [] }))).toEqual({ ok: true, requestId: 4, command: { op: 'create-offer', pc: 7 } });
    for (const [kind, op] of [[K.SET_LOCAL_DESCRIPTION, 'set-local-description'], [K.SET_REMOTE_DESCRIPTION, 'set-remote-description']] as const) {
      const type = utf8.encode('answer');
      const sdp = utf8.encode('v=0\r\n');
      expect(decode(kind, commandBytes({ kind, fixed: 16, u32: [[0, 5], [CmdSetDescriptionOffset.pc, 7], [CmdSetDescriptionOffset.type_length, 6], [CmdSetDescriptionOffset.sdp_length, sdp.byteLength]], tails: [type, sdp] }))).toEqual({
        ok: true,
        requestId: 5,
        command: { op, pc: 7, type: 'answer', sdp: 'v=0\r\n' },
      });
    }
    const mid = utf8.encode('0');
    const candidate = utf8.encode('candidate:1 1 UDP 1 127.0.0.1 9 typ host');
    expect(
      decode(K.ADD_ICE_CANDIDATE, commandBytes({ kind: 0, fixed: 24, u32: [[0, 6], [CmdAddIceCandidateOffset.pc, 7], [CmdAddIceCandidateOffset.mid_length, 1], [CmdAddIceCandidateOffset.candidate_length, candidate.byteLength]], i64: [CmdAddIceCandidateOffset.index, -3n], tails: [mid, candidate] })),
    ).toEqual({ ok: true, requestId: 6, command: { op: 'add-ice-candidate', pc: 7, mid: '0', index: -3, candidate: text.decode(candidate) } });
    const handle = (kind: number) => decode(kind, commandBytes({ kind, fixed: 8, u32: [[0, 9]], tails: [] }));
    expect(handle(K.CLOSE_PEER)).toEqual({ ok: true, requestId: undefined, command: { op: 'close-peer', pc: 9 } });
    expect(handle(K.FREE_PEER)).toEqual({ ok: true, requestId: undefined, command: { op: 'free-peer', pc: 9 } });
    expect(handle(K.CLOSE_CHANNEL)).toEqual({ ok: true, requestId: undefined, command: { op: 'close-channel', ch: 9 } });
    expect(handle(K.FREE_CHANNEL)).toEqual({ ok: true, requestId: undefined, command: { op: 'free-channel', ch: 9 } });
    const data = new Uint8Array([104, 0, 255]);
    const send = decode(K.SEND, commandBytes({ kind: 0, fixed: 16, u32: [[CmdSendOffset.ch, 11], [CmdSendOffset.flags, MessageFlag.STRING], [CmdSendOffset.data_length, 3]], tails: [data] }));
    expect(send).toEqual({ ok: true, requestId: undefined, command: { op: 'send', ch: 11, data, isString: true } });
  });

  it('turns corrupted records into a status and a message, keeping the request id', () => {
    const label = utf8.encode('x');
    const lengths = (l: number, o: number) => commandBytes({ kind: 0, fixed: 16, u32: [[0, 77], [4, 7], [8, l], [12, o]], tails: [label] });
    for (const [l, o] of [[2, 0], [0, 0], [1, 1], [0xffffffff, 2], [1, 0xffffffff]]) {
      const result = decode(K.CREATE_DATA_CHANNEL, lengths(l!, o!));
      expect(result.ok).toBe(false);
      expect(result.requestId).toBe(77);
      if (!result.ok) expect(result.message).toMatch(/^bridge: record of kind 18/);
    }
    const short = decode(K.INITIALIZE, new Uint8Array([5, 0, 0, 0, 1, 0, 0, 0]));
    expect(short).toMatchObject({ ok: false, requestId: 5 });
    expect(decode(K.REPLY, new Uint8Array(48))).toMatchObject({ ok: false, requestId: undefined, message: expect.stringMatching(/unknown command kind/) });
    expect(decode(K.SEND, new Uint8Array(4))).toMatchObject({ ok: false, requestId: undefined });
    const send = commandBytes({ kind: 0, fixed: 16, u32: [[CmdSendOffset.data_length, 100]], tails: [new Uint8Array(3)] });
    expect(decode(K.SEND, send).ok).toBe(false);
  });

  it('reports bad script input against the peer, with the key it concerns', () => {
    const bad = utf8.encode('{iceServers');
    const json = decode(K.INITIALIZE, commandBytes({ kind: 0, fixed: 16, u32: [[0, 8], [CmdInitializeOffset.pc, 7], [CmdInitializeOffset.config_length, bad.byteLength]], tails: [bad] }));
    expect(json).toMatchObject({ ok: false, requestId: 8, pc: 7, message: expect.stringMatching(/^initialize: the configuration: not valid JSON/) });
    const label = new Uint8Array([0xff]);
    const notUtf8 = decode(K.CREATE_DATA_CHANNEL, commandBytes({ kind: 0, fixed: 16, u32: [[0, 9], [4, 7], [8, 1]], tails: [label] }));
    expect(notUtf8).toMatchObject({ ok: false, requestId: 9, pc: 7, message: 'create_data_channel: the label is not valid UTF-8' });
  });
});

describe('encodeEvent / encodeReply', () => {
  it('writes every event kind at the generated offsets, with explicit lengths', () => {
    const check = (event: CoreEvent, type: number, test: (view: DataView, bytes: Uint8Array) => void) => {
      const record = encodeEvent(event);
      expect(record.type).toBe(type);
      const { view, bytes } = written(record);
      test(view, bytes);
    };
    check({ kind: 'description', pc: 2, type: 'answer', sdp: 'v=0\r\n' }, K.DESCRIPTION, (v, b) => {
      expect(v.getUint32(EvtDescriptionOffset.type, true)).toBe(DescriptionType.ANSWER);
      expect(v.getUint32(EvtDescriptionOffset.sdp_length, true)).toBe(5);
      expect(v.getUint32(12, true)).toBe(0);
      expect(text.decode(b.subarray(16))).toBe('v=0\r\n');
    });
    check({ kind: 'candidate', pc: 2, mid: 'mé', index: 1, candidate: 'candidate:x' }, K.CANDIDATE, (v, b) => {
      expect(v.getUint32(EvtCandidateOffset.index, true)).toBe(1);
      expect(v.getUint32(EvtCandidateOffset.mid_length, true)).toBe(3);
      expect(text.decode(b.subarray(16, 19))).toBe('mé');
      expect(text.decode(b.subarray(19))).toBe('candidate:x');
    });
    check({ kind: 'connection-state', pc: 2, state: ConnectionState.STATE_FAILED }, K.CONNECTION_STATE, (v) => expect(v.getUint32(4, true)).toBe(4));
    check({ kind: 'channel-received', pc: 2, ch: 5, channel }, K.CHANNEL_RECEIVED, (v, b) => {
      const at = EvtChannelReceivedOffset.channel;
      expect(v.getUint32(EvtChannelReceivedOffset.ch, true)).toBe(5);
      expect(v.getUint32(at + ChannelDescriptionOffset.flags, true)).toBe(ChannelFlag.NEGOTIATED);
      expect(v.getUint32(at + ChannelDescriptionOffset.max_packet_life_time, true)).toBe(500);
      expect(v.getUint32(at + ChannelDescriptionOffset.max_retransmits, true)).toBe(65535);
      expect(v.getUint32(at + ChannelDescriptionOffset.label_length, true)).toBe(5);
      expect(v.getUint32(at + 28, true)).toBe(0);
      expect(text.decode(b.subarray(40))).toBe('chätp');
    });
    check({ kind: 'channel-state', ch: 5, state: ChannelState.STATE_OPEN, id: 1, maxMessageSize: 1000 }, K.CHANNEL_STATE, (v) => {
      expect(v.getUint32(EvtChannelStateOffset.state, true)).toBe(1);
      expect(v.getUint32(EvtChannelStateOffset.max_message_size, true)).toBe(1000);
    });
    check({ kind: 'message', ch: 5, data: new Uint8Array([0, 1, 2]), isString: true }, K.MESSAGE, (v, b) => {
      expect(v.getUint32(EvtMessageOffset.flags, true)).toBe(MessageFlag.STRING);
      expect(v.getUint32(EvtMessageOffset.data_length, true)).toBe(3);
      expect([...b.subarray(16)]).toEqual([0, 1, 2]);
    });
    check({ kind: 'channel-buffered', ch: 5, sent: 2 ** 40, buffered: 7 }, K.CHANNEL_BUFFERED, (v) => {
      expect(v.getBigUint64(EvtChannelBufferedOffset.sent, true)).toBe(2n ** 40n);
      expect(v.getUint32(4, true)).toBe(0);
    });
    check({ kind: 'log', pc: 0, level: 'warning', message: 'ü' }, K.LOG, (v) => {
      expect(v.getUint32(EvtLogOffset.level, true)).toBe(LogLevel.WARNING);
      expect(v.getUint32(EvtLogOffset.message_length, true)).toBe(2);
    });
  });

  it('writes a create_data_channel reply with the channel, and other replies without', () => {
    const { view, bytes } = written(encodeReply(12, K.CREATE_DATA_CHANNEL, { status: Status.OK, handle: 5, channel }));
    expect(view.getUint32(EvtReplyOffset.request_id, true)).toBe(12);
    expect(view.getUint32(EvtReplyOffset.handle, true)).toBe(5);
    expect(view.getUint32(EvtReplyOffset.channel + ChannelDescriptionOffset.id, true)).toBe(3);
    expect(text.decode(bytes.subarray(48))).toBe('chätp');
    const refused = written(encodeReply(13, K.CREATE_DATA_CHANNEL, { status: Status.INVALID_PARAMETER }));
    expect(refused.bytes.byteLength).toBe(48);
    expect(refused.view.getUint32(EvtReplyOffset.status, true)).toBe(Status.INVALID_PARAMETER);
    expect([...refused.bytes.subarray(12)].every((b) => b === 0)).toBe(true);
  });
});

// ---- the link over an in-memory region --------------------------------------------------

class FakeDoorbell implements DoorbellPort {
  rings = 0;
  #listener: (() => void) | undefined;
  #close: (() => void) | undefined;
  readonly #closed = new Promise<void>((resolve) => (this.#close = resolve));
  ring(): void {
    this.rings++;
  }
  onRing(listener: (() => void) | undefined): void {
    this.#listener = listener;
  }
  async wait(timeoutMs: number): Promise<'rung' | 'timeout' | 'closed'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([this.#closed.then(() => 'closed' as const), timeout]);
    clearTimeout(timer);
    return result;
  }
  /** The client rang. */
  press(): void {
    this.#listener?.();
  }
  close(): void {
    this.#close?.();
  }
}

interface Harness {
  link: RingLink;
  doorbell: FakeDoorbell;
  commands: RingProducer;
  events: RingConsumer;
  ended: Promise<number>;
  buffer: ArrayBuffer;
}

function harness(): Harness {
  const buffer = new ArrayBuffer(regionSize(MIB, MIB));
  expect(formatRegion(buffer, MIB, MIB)).toBe(RingStatus.OK);
  const region = { commands: regionRing(buffer, RingIndex.COMMANDS), events: regionRing(buffer, RingIndex.EVENTS) };
  const doorbell = new FakeDoorbell();
  let end: (code: number) => void = () => undefined;
  const ended = new Promise<number>((resolve) => (end = resolve));
  const link = new RingLink({
    region,
    doorbell,
    makeCore: (sink) => new Core(fakeTransport, sink),
    stack: 'fake stack',
    pid: 4242,
    onEnd: (core, code) => {
      core.closeAll();
      end(code);
    },
    log: () => undefined,
  });
  link.start();
  return { link, doorbell, commands: new RingProducer(region.commands), events: new RingConsumer(region.events), ended, buffer };
}

function send(h: Harness, kind: number, bytes: Uint8Array): void {
  expect(h.commands.write(kind, bytes)).toBe(RingStatus.OK);
  if (h.commands.publish()) h.doorbell.press();
}

interface Seen {
  type: number;
  view: DataView;
  bytes: Uint8Array;
}

/** Read every event record now available (copied out), publishing once; ring if the link waits. */
function drain(h: Harness): Seen[] {
  const seen: Seen[] = [];
  while (h.events.peek() === RingStatus.OK) {
    const bytes = h.events.payload().slice();
    seen.push({ type: h.events.type, view: new DataView(bytes.buffer), bytes });
    h.events.advance();
  }
  if (h.events.publish()) h.doorbell.press();
  return seen;
}

async function until<T>(read: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const createPeer = (id: number) => commandBytes({ kind: 0, fixed: 8, u32: [[0, id]], tails: [] });

describe('RingLink', () => {
  it('says HELLO first, then answers commands in order and streams the core events', async () => {
    const h = harness();
    const seen: Seen[] = [];
    const hello = await until(() => drain(h)[0], 'HELLO');
    expect(hello.type).toBe(K.HELLO);
    expect(hello.view.getUint32(EvtHelloOffset.version, true)).toBe(VERSION);
    expect(hello.view.getUint32(EvtHelloOffset.features, true)).toBe(HelloFeature.HEARTBEAT | HelloFeature.EVENT_BACKLOG);
    expect(hello.view.getUint32(EvtHelloOffset.pid, true)).toBe(4242);
    expect(text.decode(hello.bytes.subarray(16))).toBe('fake stack');
    send(h, K.CREATE_PEER, createPeer(1));
    const label = utf8.encode('chat');
    send(h, K.CREATE_DATA_CHANNEL, commandBytes({ kind: 0, fixed: 16, u32: [[0, 2], [4, 1], [8, 4]], tails: [label] }));
    send(h, K.CREATE_OFFER, commandBytes({ kind: 0, fixed: 8, u32: [[0, 3], [4, 1]], tails: [] }));
    await until(() => (seen.push(...drain(h)), seen.find((s) => s.type === K.DESCRIPTION)), 'the offer');
    const replies = seen.filter((s) => s.type === K.REPLY);
    expect(replies.map((r) => r.view.getUint32(EvtReplyOffset.request_id, true))).toEqual([1, 2, 3]);
    expect(replies.map((r) => coreStatusName(r.view.getUint32(EvtReplyOffset.status, true)))).toEqual(['OK', 'OK', 'OK']);
    expect(replies[0]!.view.getUint32(EvtReplyOffset.handle, true)).toBe(1);
    expect(replies[1]!.view.getUint32(EvtReplyOffset.command, true)).toBe(K.CREATE_DATA_CHANNEL);
    expect(text.decode(replies[1]!.bytes.subarray(48))).toBe('chat');
    const offer = seen.find((s) => s.type === K.DESCRIPTION)!;
    expect(offer.view.getUint32(EvtDescriptionOffset.type, true)).toBe(DescriptionType.OFFER);
    h.doorbell.close();
    expect(await h.ended).toBe(0);
  });

  it('answers a corrupted synchronous record with INVALID_PARAMETER and one log line, and goes on', async () => {
    const h = harness();
    await until(() => drain(h)[0], 'HELLO');
    send(h, K.CREATE_DATA_CHANNEL, commandBytes({ kind: 0, fixed: 16, u32: [[0, 7], [4, 1], [8, 999]], tails: [] }));
    send(h, K.SEND, new Uint8Array(3));
    send(h, K.CREATE_PEER, createPeer(8));
    const seen: Seen[] = [];
    await until(() => (seen.push(...drain(h)), seen.filter((s) => s.type === K.REPLY).length === 2 ? true : undefined), 'two replies');
    expect(seen.map((s) => s.type)).toEqual([K.LOG, K.REPLY, K.LOG, K.REPLY]);
    expect(seen[1]!.view.getUint32(EvtReplyOffset.status, true)).toBe(CoreStatus.INVALID_PARAMETER);
    expect(seen[1]!.view.getUint32(EvtReplyOffset.request_id, true)).toBe(7);
    expect(seen[3]!.view.getUint32(EvtReplyOffset.status, true)).toBe(CoreStatus.OK);
    expect(text.decode(seen[0]!.bytes.subarray(16))).toMatch(/lengths add up/);
    h.doorbell.close();
    await h.ended;
  });

  it('keeps events in order in its own memory when the events ring is full, and loses none', async () => {
    const h = harness();
    const total = 30_000; // ~1.7 MB of replies through a 1 MiB events ring
    for (let id = 1; id <= total; id++) {
      expect(h.commands.reserve(8)).toBe(RingStatus.OK);
      h.commands.view.setUint32(h.commands.reservedOffset, id, true);
      h.commands.commit(K.CREATE_PEER);
    }
    if (h.commands.publish()) h.doorbell.press();
    // Read nothing until the worker has had to keep events in its own memory.
    const backlogSeen = await until(() => (h.link.backlogLength > 0 ? true : undefined), 'a backlog');
    const ids: number[] = [];
    while (ids.length < total) {
      for (const s of drain(h)) if (s.type === K.REPLY) ids.push(s.view.getUint32(EvtReplyOffset.request_id, true));
      await new Promise((r) => setImmediate(r));
    }
    expect(backlogSeen).toBe(true);
    expect(h.link.stats.backlogPeak).toBeGreaterThan(0);
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(h.link.backlogLength).toBe(0);
    h.doorbell.close();
    await h.ended;
  });

  it('ends (code 1) when the commands ring is corrupt, so the client starts a new worker', async () => {
    const h = harness();
    await until(() => drain(h)[0], 'HELLO');
    // A record whose length crosses the end of the data area: the framing itself is broken.
    const words = new Uint32Array(h.buffer, regionRing(h.buffer, RingIndex.COMMANDS).dataOffset, 4);
    expect(h.commands.write(K.CREATE_PEER, createPeer(1))).toBe(RingStatus.OK);
    words[0] = 0x7fffffff;
    h.commands.publish();
    h.doorbell.press();
    expect(await h.ended).toBe(1);
  });
});
