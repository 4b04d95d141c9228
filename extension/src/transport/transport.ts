// The narrow interface between Godot's semantics (core/) and a WebRTC stack.
// node-datachannel sits behind it in ndc-transport.ts (the only module that
// imports it); fake-transport.ts implements it in memory for unit tests.
// Methods throw `TransportError` when the stack refuses; the core turns that
// into a status code and one log line.
import type { ChannelOptions } from '../config/channel-options.js';
import type { PeerConfig } from '../config/peer-config.js';
import type { LogLevel } from '../core/events.js';

export type DescriptionType = 'offer' | 'answer';
export type TransportPeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type TransportGatheringState = 'new' | 'in-progress' | 'complete';
export type TransportIceState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export class TransportError extends Error {}

export interface TransportPeerHandlers {
  localDescription(type: DescriptionType, sdp: string): void;
  localCandidate(candidate: string, mid: string): void;
  stateChange(state: TransportPeerState): void;
  gatheringStateChange(state: TransportGatheringState): void;
  iceStateChange(state: TransportIceState): void;
  /** An in-band channel opened by the remote. */
  dataChannel(channel: TransportChannel): void;
  /** The stack's log showed a problem with this connection (before it reports 'failed'). */
  problem?(problem: TransportProblem): void;
}

export interface TransportChannelHandlers {
  open(): void;
  closed(): void;
  error(message: string): void;
  message(data: Uint8Array, isString: boolean): void;
}

export interface TransportChannel {
  readonly label: string;
  readonly protocol: string;
  /** Handlers are attached once, right after creation or receipt. */
  setHandlers(handlers: TransportChannelHandlers): void;
  /** The SCTP stream id, or undefined until one is assigned. */
  id(): number | undefined;
  isOpen(): boolean;
  /** The largest message `send` takes (the negotiated maximum once open). */
  maxMessageSize(): number;
  /** Bytes accepted by `send` and not yet handed to the network. */
  bufferedAmount(): number;
  /** `data` holds UTF-8 when `isString`. */
  send(data: Uint8Array, isString: boolean): void;
  close(): void;
}

/** One side of the selected candidate pair, as the stack names it. */
export interface TransportCandidate {
  /** 'host' | 'srflx' | 'prflx' | 'relay' (anything else is reported as 'unknown'). */
  readonly type: string;
  readonly address: string;
  readonly port: number;
  /** The stack's transport name: 'UDP', 'TCP_active', 'TCP_passive', ... */
  readonly transport: string;
}

/** What the stack itself measures and counts, read when asked (never estimated). */
export interface TransportPeerStats {
  readonly state: TransportPeerState;
  readonly iceState: TransportIceState;
  /** Payload bytes of data-channel messages SCTP accepted for sending. */
  readonly bytesSent: number;
  /** Payload bytes of data-channel messages SCTP delivered. */
  readonly bytesReceived: number;
  /** SCTP's smoothed round-trip time in whole ms; undefined when the stack has none. */
  readonly srttMs: number | undefined;
  readonly selectedPair: { readonly local: TransportCandidate; readonly remote: TransportCandidate } | undefined;
}

export interface TransportPeer {
  /** The stack's live counters and states (cheap: a few getters). */
  stats(): TransportPeerStats;
  setLocalDescription(type: DescriptionType): void;
  setRemoteDescription(sdp: string, type: DescriptionType): void;
  addRemoteCandidate(candidate: string, mid: string): void;
  createDataChannel(options: ChannelOptions): TransportChannel;
  close(): void;
}

export interface Transport {
  readonly name: string;
  createPeer(config: PeerConfig, handlers: TransportPeerHandlers): TransportPeer;
  /**
   * The stack's own log lines at `threshold` and below, mapped onto the core's
   * levels and rate-limited, until the returned function is called. Optional:
   * a stack without a log (the fake) has none.
   */
  subscribeLog?(threshold: LogLevel, sink: (level: LogLevel, line: string) => void): () => void;
}

/**
 * Something the stack's log showed about one peer connection that its API
 * does not report; the core words it into the FAILED line
 * (core/failure-reason.ts).
 */
export type TransportProblem =
  /** A TURN server answered 401 Unauthorized to the credentials (libjuice: "TURN authentication failed"). */
  | { readonly kind: 'turn-unauthorized' }
  /** The remote's DTLS certificate does not match the a=fingerprint of its description. */
  | { readonly kind: 'fingerprint-mismatch' };
