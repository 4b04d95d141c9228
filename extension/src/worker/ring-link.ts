// The worker's production link: serves the core over the shared-memory rings
// (bridge/README.md). Godot's client writes commands into the COMMANDS ring;
// each is decoded, checked and handed to dispatch(); synchronous ones get a
// REPLY. Every core event becomes one record in the EVENTS ring, in order.
//
// CONTRACT
// - Wire format: bridge/protocol/protocol.json (message kinds, payload structs,
//   core status). Fixed little-endian fields, then UTF-8 / byte tails whose
//   explicit lengths add up exactly to the record's length.
// - First record out: HELLO (version, features, pid, stack). A heartbeat is
//   stored every HEARTBEAT_INTERVAL_MS whatever the link is doing.
// - Sleeping: after SPIN_MS without a command the link sleeps with the ring
//   layer's prepareSleep (+ prepareWait when events wait for room); the
//   client's doorbell byte wakes it. It never blocks the event loop.
// - Events ring full: events queue here, in order (nothing is dropped), and
//   the link asks for a doorbell when the client frees room (producer_waiting).
// - A record that cannot be decoded is one log line and, when it carries a
//   request id, a REPLY with INVALID_PARAMETER. A ring whose framing is
//   corrupt (sticky ring status) ends the link: the worker exits and the
//   client starts a new one.
// - The doorbell reaching EOF (Godot's process is gone) ends the link: the
//   caller closes every connection and exits. No worker outlives Godot.
import { writeSync } from 'node:fs';
import {
  ChannelDescriptionOffset as ChanOff,
  ChannelFlag,
  CmdAddIceCandidateOffset,
  CmdCreateDataChannelOffset,
  CmdHandleOffset,
  CmdInitializeOffset,
  CmdPeerRequestOffset,
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
  EvtPeerStateOffset,
  EvtReplyOffset,
  HEARTBEAT_INTERVAL_MS,
  HelloFeature,
  LogLevel,
  MessageFlag,
  MessageKind,
  Status as RingStatus,
  VERSION,
  statusName,
} from '../../../bridge/protocol/protocol.js';
import { RingConsumer, RingProducer } from '../../../bridge/ring/ring.js';
import { Doorbell } from '../../../bridge/node/doorbell.js';
import { type MappedRegion, mapRegion } from '../../../bridge/node/map-region.js';
import type { Core } from '../core/core.js';
import type { ChannelDescription, CoreEvent, EventSink } from '../core/events.js';
import { type Command, type Reply, dispatch } from './dispatch.js';

const K = MessageKind;
/** Commands handled per event-loop turn before I/O callbacks get their turn. */
const BATCH = 256;
/** Backlog size that earns a warning (then each doubling): Godot has stopped polling. */
const BACKLOG_WARN_BYTES = 64 * 1024 * 1024;
/** Idle time spent re-checking the ring (one check per event-loop turn) before sleeping. */
const SPIN_MS = 0.1;
const FEATURES = HelloFeature.HEARTBEAT | HelloFeature.EVENT_BACKLOG;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

// ---- commands: record -> Command ------------------------------------------------------

export type Decoded =
  | { readonly ok: true; readonly command: Command; readonly requestId: number | undefined }
  | {
      readonly ok: false;
      readonly requestId: number | undefined;
      /** Core handle of the peer the bad input concerns (0: none). */
      readonly pc: number;
      readonly message: string;
    };

/** Synchronous command kinds: their first u32 is the request id. */
export const SYNC_KINDS: ReadonlySet<number> = new Set([
  K.CREATE_PEER,
  K.INITIALIZE,
  K.CREATE_DATA_CHANNEL,
  K.CREATE_OFFER,
  K.SET_LOCAL_DESCRIPTION,
  K.SET_REMOTE_DESCRIPTION,
  K.ADD_ICE_CANDIDATE,
]);

const FIXED: ReadonlyMap<number, number> = new Map([
  [K.CREATE_PEER, 8],
  [K.INITIALIZE, 16],
  [K.CREATE_DATA_CHANNEL, 16],
  [K.CREATE_OFFER, 8],
  [K.SET_LOCAL_DESCRIPTION, 16],
  [K.SET_REMOTE_DESCRIPTION, 16],
  [K.ADD_ICE_CANDIDATE, 24],
  [K.CLOSE_PEER, 8],
  [K.FREE_PEER, 8],
  [K.SEND, 16],
  [K.CLOSE_CHANNEL, 8],
  [K.FREE_CHANNEL, 8],
]);

class BadRecord extends Error {
  readonly pc: number;
  constructor(message: string, pc = 0) {
    super(message);
    this.pc = pc;
  }
}

/** Reads tails in order; every length is checked against the record before any byte is read. */
class Tails {
  #at: number;
  readonly #end: number;
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array, start: number, end: number) {
    this.#bytes = bytes;
    this.#at = start;
    this.#end = end;
  }

  static check(total: number, fixed: number, lengths: readonly number[], kind: number): void {
    const sum = lengths.reduce((a, b) => a + b, fixed);
    if (sum !== total) throw new BadRecord(`record of kind ${kind}: its lengths add up to ${sum} bytes, the record has ${total}`);
  }

  bytes(length: number): Uint8Array {
    const view = this.#bytes.subarray(this.#at, this.#at + length);
    this.#at += length;
    if (this.#at > this.#end) throw new BadRecord('tail beyond the record');
    return view;
  }

  text(length: number, what: string, pc: number): string {
    try {
      return utf8.decode(this.bytes(length));
    } catch (error) {
      if (error instanceof BadRecord) throw error;
      throw new BadRecord(`${what} is not valid UTF-8`, pc);
    }
  }

  json(length: number, what: string, pc: number): unknown {
    if (length === 0) return {};
    const text = this.text(length, what, pc);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new BadRecord(`${what}: not valid JSON (${(error as Error).message})`, pc);
    }
  }
}

/**
 * Decode one command record: `bytes`/`view` cover the ring's data area and the payload is
 * [offset, offset + length). Never throws; a bad record becomes `{ ok: false }`.
 */
export function decodeCommand(kind: number, bytes: Uint8Array, view: DataView, offset: number, length: number): Decoded {
  if (kind === K.SEND && length >= 16 && view.getUint32(offset + CmdSendOffset.data_length, true) === length - 16) {
    // The hot path, checked exactly as below. A copy: the ring's bytes are reused once this
    // record is released.
    const data = bytes.slice(offset + 16, offset + length);
    const isString = (view.getUint32(offset + CmdSendOffset.flags, true) & MessageFlag.STRING) !== 0;
    return { ok: true, requestId: undefined, command: { op: 'send', ch: view.getUint32(offset + CmdSendOffset.ch, true), data, isString } };
  }
  const fixed = FIXED.get(kind);
  const sync = SYNC_KINDS.has(kind);
  const requestId = sync && length >= 4 ? view.getUint32(offset, true) : undefined;
  if (fixed === undefined) return { ok: false, requestId, pc: 0, message: `bridge: unknown command kind ${kind} (${length} bytes) ignored` };
  if (length < fixed) return { ok: false, requestId, pc: 0, message: `bridge: command of kind ${kind} has ${length} bytes, less than its ${fixed}-byte header` };
  const u32 = (field: number) => view.getUint32(offset + field, true);
  const tails = new Tails(bytes, offset + fixed, offset + length);
  try {
    return { ok: true, requestId, command: decodeBody(kind, u32, tails, length, fixed, view, offset) };
  } catch (error) {
    const bad = error instanceof BadRecord ? error : new BadRecord(String(error));
    const prefix = bad.pc !== 0 ? '' : 'bridge: ';
    return { ok: false, requestId, pc: bad.pc, message: `${prefix}${bad.message}` };
  }
}

function decodeBody(kind: number, u32: (field: number) => number, tails: Tails, length: number, fixed: number, view: DataView, offset: number): Command {
  switch (kind) {
    case K.CREATE_PEER:
      Tails.check(length, fixed, [], kind);
      return { op: 'create-peer' };
    case K.INITIALIZE: {
      const pc = u32(CmdInitializeOffset.pc);
      const n = u32(CmdInitializeOffset.config_length);
      Tails.check(length, fixed, [n], kind);
      return { op: 'initialize', pc, config: tails.json(n, 'initialize: the configuration', pc) };
    }
    case K.CREATE_DATA_CHANNEL: {
      const pc = u32(CmdCreateDataChannelOffset.pc);
      const labelLength = u32(CmdCreateDataChannelOffset.label_length);
      const optionsLength = u32(CmdCreateDataChannelOffset.options_length);
      Tails.check(length, fixed, [labelLength, optionsLength], kind);
      const label = tails.text(labelLength, 'create_data_channel: the label', pc);
      return { op: 'create-data-channel', pc, label, options: tails.json(optionsLength, 'create_data_channel: the options', pc) };
    }
    case K.CREATE_OFFER:
      Tails.check(length, fixed, [], kind);
      return { op: 'create-offer', pc: u32(CmdPeerRequestOffset.pc) };
    case K.SET_LOCAL_DESCRIPTION:
    case K.SET_REMOTE_DESCRIPTION: {
      const pc = u32(CmdSetDescriptionOffset.pc);
      const typeLength = u32(CmdSetDescriptionOffset.type_length);
      const sdpLength = u32(CmdSetDescriptionOffset.sdp_length);
      Tails.check(length, fixed, [typeLength, sdpLength], kind);
      const what = kind === K.SET_LOCAL_DESCRIPTION ? 'set_local_description' : 'set_remote_description';
      const type = tails.text(typeLength, `${what}: the type`, pc);
      const sdp = tails.text(sdpLength, `${what}: the SDP`, pc);
      return { op: kind === K.SET_LOCAL_DESCRIPTION ? 'set-local-description' : 'set-remote-description', pc, type, sdp };
    }
    case K.ADD_ICE_CANDIDATE: {
      const pc = u32(CmdAddIceCandidateOffset.pc);
      const midLength = u32(CmdAddIceCandidateOffset.mid_length);
      const candidateLength = u32(CmdAddIceCandidateOffset.candidate_length);
      Tails.check(length, fixed, [midLength, candidateLength], kind);
      const index = Number(view.getBigInt64(offset + CmdAddIceCandidateOffset.index, true));
      const mid = tails.text(midLength, 'add_ice_candidate: the media id', pc);
      const candidate = tails.text(candidateLength, 'add_ice_candidate: the candidate', pc);
      return { op: 'add-ice-candidate', pc, mid, index, candidate };
    }
    case K.CLOSE_PEER:
    case K.FREE_PEER:
    case K.CLOSE_CHANNEL:
    case K.FREE_CHANNEL: {
      Tails.check(length, fixed, [], kind);
      const handle = u32(CmdHandleOffset.handle);
      if (kind === K.CLOSE_PEER) return { op: 'close-peer', pc: handle };
      if (kind === K.FREE_PEER) return { op: 'free-peer', pc: handle };
      if (kind === K.CLOSE_CHANNEL) return { op: 'close-channel', ch: handle };
      return { op: 'free-channel', ch: handle };
    }
    default: {
      // K.SEND (FIXED has no other kind).
      const n = u32(CmdSendOffset.data_length);
      Tails.check(length, fixed, [n], kind);
      const isString = (u32(CmdSendOffset.flags) & MessageFlag.STRING) !== 0;
      // A copy: the ring's bytes are reused once this record is released.
      return { op: 'send', ch: u32(CmdSendOffset.ch), data: tails.bytes(n).slice(), isString };
    }
  }
}

// ---- events: CoreEvent / reply -> record ----------------------------------------------

/** One outgoing record, sized before it is written (into the ring or a backlog buffer). */
export interface OutRecord {
  readonly type: number;
  readonly length: number;
  write(bytes: Uint8Array, view: DataView, offset: number): void;
}

const LEVEL = { error: LogLevel.ERROR, warning: LogLevel.WARNING, info: LogLevel.INFO } as const;
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

function putText(bytes: Uint8Array, at: number, text: string, length: number): number {
  if (length > 0) encoder.encodeInto(text, bytes.subarray(at, at + length));
  return at + length;
}

function writeChannel(view: DataView, at: number, c: ChannelDescription, labelLength: number, protocolLength: number): void {
  view.setUint32(at + ChanOff.id, c.id, true);
  view.setUint32(at + ChanOff.max_packet_life_time, c.maxPacketLifeTime, true);
  view.setUint32(at + ChanOff.max_retransmits, c.maxRetransmits, true);
  view.setUint32(at + ChanOff.max_message_size, c.maxMessageSize, true);
  view.setUint32(at + ChanOff.flags, (c.ordered ? ChannelFlag.ORDERED : 0) | (c.negotiated ? ChannelFlag.NEGOTIATED : 0), true);
  view.setUint32(at + ChanOff.label_length, labelLength, true);
  view.setUint32(at + ChanOff.protocol_length, protocolLength, true);
  view.setUint32(at + 28, 0, true);
}

/** Zero the fixed part first: reserved bytes must be zero. */
function header(bytes: Uint8Array, offset: number, size: number): void {
  bytes.fill(0, offset, offset + size);
}

export function encodeHello(pid: number, stack: string): OutRecord {
  const n = byteLength(stack);
  return {
    type: K.HELLO,
    length: 16 + n,
    write(bytes, view, o) {
      header(bytes, o, 16);
      view.setUint32(o + EvtHelloOffset.version, VERSION, true);
      view.setUint32(o + EvtHelloOffset.features, FEATURES, true);
      view.setUint32(o + EvtHelloOffset.pid, pid, true);
      view.setUint32(o + EvtHelloOffset.stack_length, n, true);
      putText(bytes, o + 16, stack, n);
    },
  };
}

export function encodeReply(requestId: number, command: number, reply: Reply): OutRecord {
  const channel = command === K.CREATE_DATA_CHANNEL && reply.status === CoreStatus.OK ? (reply.channel as ChannelDescription | undefined) : undefined;
  const labelLength = channel ? byteLength(channel.label) : 0;
  const protocolLength = channel ? byteLength(channel.protocol) : 0;
  return {
    type: K.REPLY,
    length: 48 + labelLength + protocolLength,
    write(bytes, view, o) {
      header(bytes, o, 48);
      view.setUint32(o + EvtReplyOffset.request_id, requestId, true);
      view.setUint32(o + EvtReplyOffset.command, command, true);
      view.setUint32(o + EvtReplyOffset.status, reply.status, true);
      view.setUint32(o + EvtReplyOffset.handle, reply.handle ?? 0, true);
      if (!channel) return;
      writeChannel(view, o + EvtReplyOffset.channel, channel, labelLength, protocolLength);
      putText(bytes, putText(bytes, o + 48, channel.label, labelLength), channel.protocol, protocolLength);
    },
  };
}

export function encodeLog(pc: number, level: keyof typeof LEVEL, message: string): OutRecord {
  const n = byteLength(message);
  return {
    type: K.LOG,
    length: 16 + n,
    write(bytes, view, o) {
      header(bytes, o, 16);
      view.setUint32(o + EvtLogOffset.pc, pc, true);
      view.setUint32(o + EvtLogOffset.level, LEVEL[level], true);
      view.setUint32(o + EvtLogOffset.message_length, n, true);
      putText(bytes, o + 16, message, n);
    },
  };
}

function peerState(type: number, pc: number, state: number): OutRecord {
  return {
    type,
    length: 8,
    write(_bytes, view, o) {
      view.setUint32(o + EvtPeerStateOffset.pc, pc, true);
      view.setUint32(o + EvtPeerStateOffset.state, state, true);
    },
  };
}

export function encodeEvent(event: CoreEvent): OutRecord {
  switch (event.kind) {
    case 'message': {
      const data = event.data;
      return {
        type: K.MESSAGE,
        length: 16 + data.byteLength,
        write(bytes, view, o) {
          view.setUint32(o + EvtMessageOffset.ch, event.ch, true);
          view.setUint32(o + EvtMessageOffset.flags, event.isString ? MessageFlag.STRING : 0, true);
          view.setUint32(o + EvtMessageOffset.data_length, data.byteLength, true);
          view.setUint32(o + 12, 0, true);
          bytes.set(data, o + 16);
        },
      };
    }
    case 'channel-buffered':
      return {
        type: K.CHANNEL_BUFFERED,
        length: 24,
        write(_bytes, view, o) {
          view.setUint32(o + EvtChannelBufferedOffset.ch, event.ch, true);
          view.setUint32(o + 4, 0, true);
          view.setBigUint64(o + EvtChannelBufferedOffset.sent, BigInt(event.sent), true);
          view.setBigUint64(o + EvtChannelBufferedOffset.buffered, BigInt(event.buffered), true);
        },
      };
    case 'channel-state':
      return {
        type: K.CHANNEL_STATE,
        length: 16,
        write(_bytes, view, o) {
          view.setUint32(o + EvtChannelStateOffset.ch, event.ch, true);
          view.setUint32(o + EvtChannelStateOffset.state, event.state, true);
          view.setUint32(o + EvtChannelStateOffset.id, event.id, true);
          view.setUint32(o + EvtChannelStateOffset.max_message_size, event.maxMessageSize, true);
        },
      };
    case 'description': {
      const n = byteLength(event.sdp);
      return {
        type: K.DESCRIPTION,
        length: 16 + n,
        write(bytes, view, o) {
          header(bytes, o, 16);
          view.setUint32(o + EvtDescriptionOffset.pc, event.pc, true);
          view.setUint32(o + EvtDescriptionOffset.type, event.type === 'offer' ? DescriptionType.OFFER : DescriptionType.ANSWER, true);
          view.setUint32(o + EvtDescriptionOffset.sdp_length, n, true);
          putText(bytes, o + 16, event.sdp, n);
        },
      };
    }
    case 'candidate': {
      const midLength = byteLength(event.mid);
      const candidateLength = byteLength(event.candidate);
      return {
        type: K.CANDIDATE,
        length: 16 + midLength + candidateLength,
        write(bytes, view, o) {
          view.setUint32(o + EvtCandidateOffset.pc, event.pc, true);
          view.setUint32(o + EvtCandidateOffset.index, event.index, true);
          view.setUint32(o + EvtCandidateOffset.mid_length, midLength, true);
          view.setUint32(o + EvtCandidateOffset.candidate_length, candidateLength, true);
          putText(bytes, putText(bytes, o + 16, event.mid, midLength), event.candidate, candidateLength);
        },
      };
    }
    case 'connection-state':
      return peerState(K.CONNECTION_STATE, event.pc, event.state);
    case 'gathering-state':
      return peerState(K.GATHERING_STATE, event.pc, event.state);
    case 'signaling-state':
      return peerState(K.SIGNALING_STATE, event.pc, event.state);
    case 'channel-received': {
      const c = event.channel;
      const labelLength = byteLength(c.label);
      const protocolLength = byteLength(c.protocol);
      return {
        type: K.CHANNEL_RECEIVED,
        length: 40 + labelLength + protocolLength,
        write(bytes, view, o) {
          view.setUint32(o + EvtChannelReceivedOffset.pc, event.pc, true);
          view.setUint32(o + EvtChannelReceivedOffset.ch, event.ch, true);
          writeChannel(view, o + EvtChannelReceivedOffset.channel, c, labelLength, protocolLength);
          putText(bytes, putText(bytes, o + 40, c.label, labelLength), c.protocol, protocolLength);
        },
      };
    }
    case 'log':
      return encodeLog(event.pc, event.level, event.message);
  }
}

// ---- the link -------------------------------------------------------------------------

/** What the link needs from the doorbell (bridge/node/doorbell.ts; a fake in tests). */
export interface DoorbellPort {
  ring(): void;
  onRing(listener: (() => void) | undefined): void;
  wait(timeoutMs: number): Promise<'rung' | 'timeout' | 'closed'>;
}

export interface RingLinkOptions {
  readonly region: Pick<MappedRegion, 'commands' | 'events'>;
  readonly doorbell: DoorbellPort;
  readonly makeCore: (sink: EventSink) => Core;
  /** The WebRTC stack's name and version, for HELLO. */
  readonly stack: string;
  /** Called once when the link ends: `code` 0 for the doorbell's EOF, 1 for a dead ring. */
  readonly onEnd: (core: Core, code: number) => void;
  /** Lines for the worker's stderr (default: process.stderr). */
  readonly log?: (line: string) => void;
  readonly pid?: number;
  readonly spinMs?: number;
  /** Monotonic ms for the heartbeat (default: CLOCK_MONOTONIC via process.hrtime). */
  readonly nowMs?: () => number;
}

export interface RingLinkStats {
  commands: number;
  events: number;
  sleeps: number;
  rings: number;
  backlogPeak: number;
}

const monotonicMs = (): number => Number(process.hrtime.bigint() / 1_000_000n);

export class RingLink {
  readonly core: Core;
  readonly stats: RingLinkStats = { commands: 0, events: 0, sleeps: 0, rings: 0, backlogPeak: 0 };
  readonly #o: RingLinkOptions;
  readonly #consumer: RingConsumer;
  readonly #producer: RingProducer;
  readonly #log: (line: string) => void;
  readonly #spinMs: number;
  /** Encoded events waiting for room in the EVENTS ring, in order. */
  #backlog: Array<{ type: number; bytes: Uint8Array }> = [];
  #backlogHead = 0;
  #backlogBytes = 0;
  #backlogWarnAt = BACKLOG_WARN_BYTES;
  #scheduled = false;
  #publishQueued = false;
  #sleeping = false;
  #waiting = false;
  #idleSince = -1;
  #ended = false;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: RingLinkOptions) {
    this.#o = options;
    this.#consumer = new RingConsumer(options.region.commands);
    this.#producer = new RingProducer(options.region.events);
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.#spinMs = options.spinMs ?? SPIN_MS;
    this.core = options.makeCore((event) => (event.kind === 'message' ? this.#emitMessage(event) : this.#emit(encodeEvent(event))));
  }

  /** HELLO, heartbeat, doorbell; then serve until the doorbell closes. */
  start(): void {
    const beat = () => this.#consumer.heartbeat((this.#o.nowMs ?? monotonicMs)());
    beat();
    this.#heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    this.#heartbeat.unref();
    this.#emit(encodeHello(this.#o.pid ?? process.pid, this.#o.stack));
    this.#o.doorbell.onRing(() => this.#schedule());
    void this.#watchEof();
    this.#schedule();
  }

  get backlogLength(): number {
    return this.#backlog.length - this.#backlogHead;
  }

  async #watchEof(): Promise<void> {
    while (!this.#ended) {
      if ((await this.#o.doorbell.wait(60_000)) === 'closed') return this.#end(0, undefined);
    }
  }

  #end(code: number, line: string | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    if (line !== undefined) this.#log(line);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#o.doorbell.onRing(undefined);
    this.#o.onEnd(this.core, code);
  }

  #schedule(): void {
    if (this.#scheduled || this.#ended) return;
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  readonly #turn = (): void => {
    this.#scheduled = false;
    if (this.#ended) return;
    if (this.#sleeping) this.#consumer.endSleep();
    if (this.#waiting) this.#producer.endWait();
    this.#sleeping = this.#waiting = false;
    const handled = this.#drainCommands();
    this.#flush();
    if (this.#ended) return;
    if (handled > 0) {
      this.#idleSince = -1;
      return this.#schedule();
    }
    const now = performance.now();
    if (this.#idleSince < 0) this.#idleSince = now;
    if (now - this.#idleSince < this.#spinMs) return this.#schedule();
    if (!this.#consumer.prepareSleep()) return this.#schedule();
    if (this.backlogLength > 0 && !this.#prepareWait()) {
      this.#consumer.endSleep();
      return this.#schedule();
    }
    this.#sleeping = true;
    this.#idleSince = -1;
    this.stats.sleeps++;
  };

  #drainCommands(): number {
    const consumer = this.#consumer;
    let handled = 0;
    while (handled < BATCH) {
      const status = consumer.peek();
      if (status === RingStatus.EMPTY) break;
      if (status !== RingStatus.OK) {
        this.#end(1, `godot-webrtc worker: the commands ring is corrupt (${statusName(status)}); exiting so that Godot starts a new worker`);
        return handled;
      }
      this.#handle(consumer.type, consumer.offset, consumer.length);
      consumer.advance();
      handled++;
    }
    this.stats.commands += handled;
    if (consumer.publish()) this.#ring();
    return handled;
  }

  #handle(kind: number, offset: number, length: number): void {
    const decoded = decodeCommand(kind, this.#consumer.data, this.#consumer.view, offset, length);
    if (!decoded.ok) {
      // One line, through Godot's log: the LOG event (stderr is for a dead ring only).
      this.#emit(encodeLog(decoded.pc, 'error', decoded.message));
      if (decoded.requestId !== undefined) this.#emit(encodeReply(decoded.requestId, kind, { status: CoreStatus.INVALID_PARAMETER }));
      return;
    }
    let reply: Reply;
    try {
      reply = dispatch(this.core, decoded.command);
    } catch (error) {
      const message = `worker: ${decoded.command.op} failed: ${(error as Error)?.stack ?? String(error)}`;
      this.#log(`godot-webrtc ${message}`);
      this.#emit(encodeLog(0, 'error', message));
      reply = { status: CoreStatus.INTERNAL };
    }
    if (decoded.requestId !== undefined) this.#emit(encodeReply(decoded.requestId, kind, reply));
  }

  /** The hot path of #emit for a received message: written in place, no record object. */
  #emitMessage(event: Extract<CoreEvent, { kind: 'message' }>): void {
    const producer = this.#producer;
    const length = 16 + event.data.byteLength;
    if (this.#ended || this.backlogLength > 0 || length > producer.maxPayload || producer.reserve(length) !== RingStatus.OK) {
      return this.#emit(encodeEvent(event));
    }
    this.stats.events++;
    const view = producer.view;
    const o = producer.reservedOffset;
    view.setUint32(o + EvtMessageOffset.ch, event.ch, true);
    view.setUint32(o + EvtMessageOffset.flags, event.isString ? MessageFlag.STRING : 0, true);
    view.setUint32(o + EvtMessageOffset.data_length, event.data.byteLength, true);
    view.setUint32(o + 12, 0, true);
    producer.data.set(event.data, o + 16);
    producer.commit(K.MESSAGE, length);
    this.#queuePublish();
  }

  /** Write a record in order: into the ring if nothing waits before it, else into the backlog. */
  #emit(record: OutRecord): void {
    if (this.#ended) return;
    this.stats.events++;
    const producer = this.#producer;
    if (record.length > producer.maxPayload) return this.#tooLarge(record);
    if (this.backlogLength === 0) {
      const status = producer.reserve(record.length);
      if (status === RingStatus.OK) {
        record.write(producer.data, producer.view, producer.reservedOffset);
        producer.commit(record.type, record.length);
        return this.#queuePublish();
      }
      if (status !== RingStatus.FULL) {
        return this.#end(1, `godot-webrtc worker: the events ring is corrupt (${statusName(status)}); exiting so that Godot starts a new worker`);
      }
    }
    const bytes = new Uint8Array(record.length);
    record.write(bytes, new DataView(bytes.buffer), 0);
    this.#backlog.push({ type: record.type, bytes });
    this.#backlogBytes += bytes.byteLength;
    this.stats.backlogPeak = Math.max(this.stats.backlogPeak, this.backlogLength);
    if (this.#backlogBytes >= this.#backlogWarnAt) {
      this.#log(`godot-webrtc worker: ${Math.round(this.#backlogBytes / 1048576)} MiB of events wait for Godot to poll (is the game paused?)`);
      this.#backlogWarnAt *= 2;
    }
    this.#queuePublish();
  }

  #tooLarge(record: OutRecord): void {
    const message = `worker: an event of kind ${record.type} (${record.length} bytes) does not fit one record (at most ${this.#producer.maxPayload}); dropped`;
    this.#log(`godot-webrtc ${message}`);
    if (record.type !== K.LOG) this.#emit(encodeLog(0, 'error', message));
  }

  /** Publish once per microtask checkpoint: a burst of events costs one release store. */
  #queuePublish(): void {
    if (this.#publishQueued) return;
    this.#publishQueued = true;
    queueMicrotask(() => {
      this.#publishQueued = false;
      this.#flush();
      if (this.backlogLength > 0 && !this.#scheduled && !this.#waiting && !this.#ended) {
        if (!this.#prepareWait()) this.#schedule();
      }
    });
  }

  /** Move backlog records into the ring while they fit, then publish. */
  #flush(): void {
    const producer = this.#producer;
    while (this.#backlogHead < this.#backlog.length) {
      const record = this.#backlog[this.#backlogHead]!;
      const status = producer.write(record.type, record.bytes);
      if (status === RingStatus.FULL) break;
      if (status !== RingStatus.OK) {
        return this.#end(1, `godot-webrtc worker: the events ring is corrupt (${statusName(status)}); exiting so that Godot starts a new worker`);
      }
      this.#backlogBytes -= record.bytes.byteLength;
      this.#backlogHead++;
    }
    if (this.#backlogHead === this.#backlog.length) {
      this.#backlog = [];
      this.#backlogHead = 0;
      this.#backlogWarnAt = BACKLOG_WARN_BYTES;
    } else if (this.#backlogHead > 1024 && this.#backlogHead * 2 > this.#backlog.length) {
      this.#backlog = this.#backlog.slice(this.#backlogHead);
      this.#backlogHead = 0;
    }
    if (producer.publish()) this.#ring();
  }

  /** Ask the client for a doorbell when it frees room for the first backlog record. */
  #prepareWait(): boolean {
    const first = this.#backlog[this.#backlogHead];
    if (first === undefined) return false;
    this.#waiting = this.#producer.prepareWait(first.bytes.byteLength);
    return this.#waiting;
  }

  #ring(): void {
    this.stats.rings++;
    this.#o.doorbell.ring();
  }
}

// ---- the worker's --bridge mode ---------------------------------------------------------

const ONE_BYTE = new Uint8Array([1]);

/** The region and the doorbell, as the client's posix_spawn file actions place them. */
export const REGION_FD = 3;
export const DOORBELL_FD = 4;

/**
 * `worker.mjs --bridge`: map fd 3, open the doorbell on fd 4 and serve until it closes.
 * A region that cannot be mapped is one stderr line and exit code 1 (the client reports it).
 */
export function serveRings(makeCore: (sink: EventSink) => Core, stack: string, onEnd: (core: Core, code: number) => void): RingLink | undefined {
  const mapped = mapRegion(REGION_FD);
  if (mapped.status !== RingStatus.OK || mapped.region === undefined) {
    const detail = (mapped as { readonly message?: string }).message ?? statusName(mapped.status);
    process.stderr.write(`godot-webrtc worker: cannot attach the shared memory on fd ${REGION_FD}: ${detail}\n`);
    process.exitCode = 1;
    return undefined;
  }
  const doorbell = new Doorbell(DOORBELL_FD);
  const port: DoorbellPort = {
    // One write(2) per ring, without the stream machinery of socket.write (which cost a fifth
    // of the worker's CPU when the client sleeps often). The socket is non-blocking: EAGAIN
    // means bytes are already pending, so the client wakes anyway; EPIPE means it is gone and
    // the doorbell's EOF ends the link.
    ring: () => {
      try {
        writeSync(DOORBELL_FD, ONE_BYTE);
      } catch {
        // see above
      }
    },
    onRing: (listener) => doorbell.onRing(listener),
    wait: (timeoutMs) => doorbell.wait(timeoutMs),
  };
  const link = new RingLink({ region: mapped.region, doorbell: port, makeCore, stack, onEnd });
  link.start();
  return link;
}
