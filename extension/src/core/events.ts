// Everything the core reports, as one ordered stream of plain records keyed
// by integer handles: the shape the bridge serialises (one record per event).
import type { ChannelState, ConnectionState, GatheringState, SignalingState } from '../godot/enums.generated.js';

export type Handle = number;

export type LogLevel = 'error' | 'warning' | 'info' | 'debug' | 'verbose';

export interface ChannelDescription {
  readonly label: string;
  readonly protocol: string;
  /** 65535 until the stream id is assigned. */
  readonly id: number;
  readonly ordered: boolean;
  readonly negotiated: boolean;
  /** 65535 when not set. */
  readonly maxPacketLifeTime: number;
  /** 65535 when not set. */
  readonly maxRetransmits: number;
  readonly maxMessageSize: number;
}

export type CoreEvent =
  | { readonly kind: 'description'; readonly pc: Handle; readonly type: 'offer' | 'answer'; readonly sdp: string }
  | { readonly kind: 'candidate'; readonly pc: Handle; readonly mid: string; readonly index: number; readonly candidate: string }
  | { readonly kind: 'connection-state'; readonly pc: Handle; readonly state: ConnectionState }
  | { readonly kind: 'gathering-state'; readonly pc: Handle; readonly state: GatheringState }
  | { readonly kind: 'signaling-state'; readonly pc: Handle; readonly state: SignalingState }
  | { readonly kind: 'channel-received'; readonly pc: Handle; readonly ch: Handle; readonly channel: ChannelDescription }
  | { readonly kind: 'channel-state'; readonly ch: Handle; readonly state: ChannelState; readonly id: number; readonly maxMessageSize: number }
  | { readonly kind: 'message'; readonly ch: Handle; readonly data: Uint8Array; readonly isString: boolean }
  /**
   * Send-path accounting: `sent` is the running total of bytes the core has
   * taken from `send` commands, `buffered` what the stack still holds.
   */
  | { readonly kind: 'channel-buffered'; readonly ch: Handle; readonly sent: number; readonly buffered: number }
  | { readonly kind: 'log'; readonly pc: Handle; readonly level: LogLevel; readonly message: string };

export type EventSink = (event: CoreEvent) => void;
