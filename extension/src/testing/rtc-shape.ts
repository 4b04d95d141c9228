// The shape the conformance rows drive: Godot's WebRTCPeerConnection and WebRTCDataChannel
// as methods. Two implementations present it: the facade (extension/src/api/) and the C
// client's test binding (bridge/client/tests/napi/c-client.ts). The rows and the helpers in
// loopback.ts are written against these interfaces only, so one suite judges both.
import type { ChannelState, ConnectionState, GatheringState, GodotError, SignalingState, WriteMode } from '../godot/enums.generated.js';
import type { LogLevel } from '../core/events.js';
import type { StatsDictionary } from '../api/stats-dictionary.js';

export interface RtcChannel {
  readonly handle: number;
  putPacket(data: Uint8Array): GodotError;
  getPacket(): Uint8Array;
  getPacketError(): GodotError;
  getAvailablePacketCount(): number;
  poll(): GodotError;
  close(): void;
  wasStringPacket(): boolean;
  setWriteMode(mode: number): void;
  getWriteMode(): WriteMode;
  getReadyState(): ChannelState;
  getLabel(): string;
  getProtocol(): string;
  isOrdered(): boolean;
  isNegotiated(): boolean;
  getId(): number;
  getMaxPacketLifeTime(): number;
  getMaxRetransmits(): number;
  getMaxPacketSize(): number;
  getBufferedAmount(): number;
  readonly droppedPacketCount: number;
  /** get_stats() (README.md, "Connection stats"). */
  getStats(): StatsDictionary;
  /** The script dropped its last reference. */
  dispose(): void;
}

export interface RtcSignals<C extends RtcChannel = RtcChannel> {
  session_description_created: (type: string, sdp: string) => void;
  ice_candidate_created: (media: string, index: number, name: string) => void;
  data_channel_received: (channel: C) => void;
}

export interface RtcPeer<C extends RtcChannel = RtcChannel> {
  readonly handle: number;
  connect<K extends keyof RtcSignals<C>>(signal: K, listener: RtcSignals<C>[K]): void;
  disconnect<K extends keyof RtcSignals<C>>(signal: K, listener: RtcSignals<C>[K]): void;
  initialize(configuration?: unknown): GodotError;
  createDataChannel(label: string, options?: unknown): C | null;
  createOffer(): GodotError;
  setLocalDescription(type: string, sdp: string): GodotError;
  setRemoteDescription(type: string, sdp: string): GodotError;
  addIceCandidate(media: string, index: number, name: string): GodotError;
  poll(): GodotError;
  close(): void;
  getConnectionState(): ConnectionState;
  getGatheringState(): GatheringState;
  getSignalingState(): SignalingState;
  /** get_stats() (README.md, "Connection stats"). */
  getStats(): StatsDictionary;
  /** The script dropped its last reference: close and forget. */
  dispose(): void;
}

export interface RtcSession<C extends RtcChannel = RtcChannel> {
  createPeerConnection(): RtcPeer<C>;
  /** Frees every object it made (afterEach). */
  close(): void;
}

export type Logger = (level: LogLevel, message: string) => void;

/** The peer events some rows watch as they happen (the facade's tap, the C client's test hook). */
export type TapEvent =
  | { readonly kind: 'connection-state' | 'gathering-state' | 'signaling-state'; readonly pc: number; readonly state: number }
  | { readonly kind: 'description' | 'candidate'; readonly pc: number };
