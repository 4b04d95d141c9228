// The wire format of the worker's ring link (bridge/protocol/protocol.json):
// command records decoded into dispatch() commands, core events and replies
// encoded as event records. Fixed little-endian fields, then UTF-8 / byte
// tails whose explicit lengths add up exactly to the record's length. A
// command that cannot be decoded comes back as {ok: false} with a message,
// never as an exception.
import {
  CHANNEL_DESCRIPTION_SIZE,
  CMD_SEND_SIZE,
  ChannelDescriptionOffset as ChanOff,
  ChannelFlag,
  CmdAddIceCandidateOffset,
  CmdCreateDataChannelOffset,
  CmdHandleOffset,
  CmdInitializeOffset,
  CmdPeerRequestOffset,
  CmdSendOffset,
  CmdSetDescriptionOffset,
  CmdStatsRequestOffset,
  CoreStatus,
  DescriptionType,
  EVT_CANDIDATE_SIZE,
  EVT_CHANNEL_BUFFERED_SIZE,
  EVT_CHANNEL_RECEIVED_SIZE,
  EVT_CHANNEL_STATE_SIZE,
  EVT_DESCRIPTION_SIZE,
  EVT_HELLO_SIZE,
  EVT_LOG_SIZE,
  EVT_MESSAGE_SIZE,
  EVT_PEER_STATE_SIZE,
  EVT_REPLY_SIZE,
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
  HelloFeature,
  LogLevel,
  MESSAGE_PAYLOAD_SIZE,
  MESSAGE_RING,
  MessageFlag,
  MessageKind,
  RingIndex,
  SYNC_KINDS,
  VERSION,
} from '../../../bridge/protocol/protocol.js';
import type { Core } from '../core/core.js';
import type { ChannelDescription, CoreEvent } from '../core/events.js';
import { type Command, type Reply } from './dispatch.js';

const K = MessageKind;
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

/** Fixed payload bytes of a command kind (generated from protocol.json); undefined for a kind that is not a command. */
function commandFixedSize(kind: number): number | undefined {
  return MESSAGE_RING.get(kind) === RingIndex.COMMANDS ? MESSAGE_PAYLOAD_SIZE.get(kind) : undefined;
}

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
  if (kind === K.SEND && length >= CMD_SEND_SIZE && view.getUint32(offset + CmdSendOffset.data_length, true) === length - CMD_SEND_SIZE) {
    // The hot path, checked exactly as below. A copy: the ring's bytes are reused once this
    // record is released.
    const data = bytes.slice(offset + CMD_SEND_SIZE, offset + length);
    const isString = (view.getUint32(offset + CmdSendOffset.flags, true) & MessageFlag.STRING) !== 0;
    return { ok: true, requestId: undefined, command: { op: 'send', ch: view.getUint32(offset + CmdSendOffset.ch, true), data, isString } };
  }
  const fixed = commandFixedSize(kind);
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
    case K.GET_PEER_STATS:
    case K.GET_CHANNEL_STATS: {
      Tails.check(length, fixed, [], kind);
      const handle = u32(CmdStatsRequestOffset.handle);
      return kind === K.GET_PEER_STATS ? { op: 'get-peer-stats', pc: handle } : { op: 'get-channel-stats', ch: handle };
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
      // K.SEND (no other command kind is left).
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

const LEVEL = { error: LogLevel.ERROR, warning: LogLevel.WARNING, info: LogLevel.INFO, debug: LogLevel.DEBUG, verbose: LogLevel.VERBOSE } as const;
export const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

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
  view.setUint32(at + CHANNEL_DESCRIPTION_SIZE - 4, 0, true); // its reserved last word
}

/** Zero the fixed part first: reserved bytes must be zero. */
function header(bytes: Uint8Array, offset: number, size: number): void {
  bytes.fill(0, offset, offset + size);
}

export function encodeHello(pid: number, stack: string): OutRecord {
  const n = byteLength(stack);
  return {
    type: K.HELLO,
    length: EVT_HELLO_SIZE + n,
    write(bytes, view, o) {
      header(bytes, o, EVT_HELLO_SIZE);
      view.setUint32(o + EvtHelloOffset.version, VERSION, true);
      view.setUint32(o + EvtHelloOffset.features, FEATURES, true);
      view.setUint32(o + EvtHelloOffset.pid, pid, true);
      view.setUint32(o + EvtHelloOffset.stack_length, n, true);
      putText(bytes, o + EVT_HELLO_SIZE, stack, n);
    },
  };
}

export function encodeReply(requestId: number, command: number, reply: Reply): OutRecord {
  const channel = command === K.CREATE_DATA_CHANNEL && reply.status === CoreStatus.OK ? (reply.channel as ChannelDescription | undefined) : undefined;
  const labelLength = channel ? byteLength(channel.label) : 0;
  const protocolLength = channel ? byteLength(channel.protocol) : 0;
  return {
    type: K.REPLY,
    length: EVT_REPLY_SIZE + labelLength + protocolLength,
    write(bytes, view, o) {
      header(bytes, o, EVT_REPLY_SIZE);
      view.setUint32(o + EvtReplyOffset.request_id, requestId, true);
      view.setUint32(o + EvtReplyOffset.command, command, true);
      view.setUint32(o + EvtReplyOffset.status, reply.status, true);
      view.setUint32(o + EvtReplyOffset.handle, reply.handle ?? 0, true);
      if (!channel) return;
      writeChannel(view, o + EvtReplyOffset.channel, channel, labelLength, protocolLength);
      putText(bytes, putText(bytes, o + EVT_REPLY_SIZE, channel.label, labelLength), channel.protocol, protocolLength);
    },
  };
}

export function encodeLog(pc: number, level: keyof typeof LEVEL, message: string): OutRecord {
  const n = byteLength(message);
  return {
    type: K.LOG,
    length: EVT_LOG_SIZE + n,
    write(bytes, view, o) {
      header(bytes, o, EVT_LOG_SIZE);
      view.setUint32(o + EvtLogOffset.pc, pc, true);
      view.setUint32(o + EvtLogOffset.level, LEVEL[level], true);
      view.setUint32(o + EvtLogOffset.message_length, n, true);
      putText(bytes, o + EVT_LOG_SIZE, message, n);
    },
  };
}

function peerState(type: number, pc: number, state: number): OutRecord {
  return {
    type,
    length: EVT_PEER_STATE_SIZE,
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
        length: EVT_MESSAGE_SIZE + data.byteLength,
        write(bytes, view, o) {
          view.setUint32(o + EvtMessageOffset.ch, event.ch, true);
          view.setUint32(o + EvtMessageOffset.flags, event.isString ? MessageFlag.STRING : 0, true);
          view.setUint32(o + EvtMessageOffset.data_length, data.byteLength, true);
          view.setUint32(o + 12, 0, true);
          bytes.set(data, o + EVT_MESSAGE_SIZE);
        },
      };
    }
    case 'channel-buffered':
      return {
        type: K.CHANNEL_BUFFERED,
        length: EVT_CHANNEL_BUFFERED_SIZE,
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
        length: EVT_CHANNEL_STATE_SIZE,
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
        length: EVT_DESCRIPTION_SIZE + n,
        write(bytes, view, o) {
          header(bytes, o, EVT_DESCRIPTION_SIZE);
          view.setUint32(o + EvtDescriptionOffset.pc, event.pc, true);
          view.setUint32(o + EvtDescriptionOffset.type, event.type === 'offer' ? DescriptionType.OFFER : DescriptionType.ANSWER, true);
          view.setUint32(o + EvtDescriptionOffset.sdp_length, n, true);
          putText(bytes, o + EVT_DESCRIPTION_SIZE, event.sdp, n);
        },
      };
    }
    case 'candidate': {
      const midLength = byteLength(event.mid);
      const candidateLength = byteLength(event.candidate);
      return {
        type: K.CANDIDATE,
        length: EVT_CANDIDATE_SIZE + midLength + candidateLength,
        write(bytes, view, o) {
          view.setUint32(o + EvtCandidateOffset.pc, event.pc, true);
          view.setUint32(o + EvtCandidateOffset.index, event.index, true);
          view.setUint32(o + EvtCandidateOffset.mid_length, midLength, true);
          view.setUint32(o + EvtCandidateOffset.candidate_length, candidateLength, true);
          putText(bytes, putText(bytes, o + EVT_CANDIDATE_SIZE, event.mid, midLength), event.candidate, candidateLength);
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
        length: EVT_CHANNEL_RECEIVED_SIZE + labelLength + protocolLength,
        write(bytes, view, o) {
          view.setUint32(o + EvtChannelReceivedOffset.pc, event.pc, true);
          view.setUint32(o + EvtChannelReceivedOffset.ch, event.ch, true);
          writeChannel(view, o + EvtChannelReceivedOffset.channel, c, labelLength, protocolLength);
          putText(bytes, putText(bytes, o + EVT_CHANNEL_RECEIVED_SIZE, c.label, labelLength), c.protocol, protocolLength);
        },
      };
    }
    case 'log':
      return encodeLog(event.pc, event.level, event.message);
  }
}
