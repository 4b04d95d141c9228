// WebRTCPeerConnection as Godot documents it, over core handles. State is
// mirrored from the core's events as they arrive; signals wait in a queue and
// are emitted by poll(), on the caller's stack, in the order they happened.
// Test and benchmark support (session.ts says why); bridge/client/wc_peer.c is
// what Godot runs, and the conformance rows judge the two side by side.
import {
  CMD_ADD_ICE_CANDIDATE_SIZE,
  CMD_CREATE_DATA_CHANNEL_SIZE,
  CMD_INITIALIZE_SIZE,
  CMD_SET_DESCRIPTION_SIZE,
  RECORD_MAX_PAYLOAD,
} from '../../../bridge/protocol/protocol.js';
import type { ChannelDescription, CoreEvent, Handle } from '../core/events.js';
import { ChannelState, ConnectionState, GatheringState, GodotError, SignalingState } from '../godot/enums.generated.js';
import { Status, toGodotError } from '../godot/status.js';
import { DataChannel } from './data-channel.js';
import type { SessionLink } from './session-link.js';
import { type StatsDictionary, peerStatsDictionary } from './stats-dictionary.js';

export interface PeerConnectionSignals {
  session_description_created: (type: string, sdp: string) => void;
  ice_candidate_created: (media: string, index: number, name: string) => void;
  data_channel_received: (channel: DataChannel) => void;
}

type Signal = {
  [K in keyof PeerConnectionSignals]: { name: K; args: Parameters<PeerConnectionSignals[K]> };
}[keyof PeerConnectionSignals];

export class PeerConnection {
  readonly handle: Handle;
  readonly #link: SessionLink;
  #connection: ConnectionState = ConnectionState.STATE_NEW;
  #gathering: GatheringState = GatheringState.GATHERING_STATE_NEW;
  #signaling: SignalingState = SignalingState.SIGNALING_STATE_STABLE;
  #closed = false;
  #disposed = false;
  #signals: Signal[] = [];
  readonly #channels = new Map<Handle, DataChannel>();
  readonly #listeners: { [K in keyof PeerConnectionSignals]: Set<PeerConnectionSignals[K]> } = {
    session_description_created: new Set(),
    ice_candidate_created: new Set(),
    data_channel_received: new Set(),
  };

  constructor(handle: Handle, link: SessionLink) {
    this.handle = handle;
    this.#link = link;
  }

  /** Godot's `connect(signal, callable)`. */
  connect<K extends keyof PeerConnectionSignals>(signal: K, listener: PeerConnectionSignals[K]): void {
    this.#listeners[signal].add(listener);
  }

  /** Godot's `disconnect(signal, callable)`. */
  disconnect<K extends keyof PeerConnectionSignals>(signal: K, listener: PeerConnectionSignals[K]): void {
    this.#listeners[signal].delete(listener);
  }

  /** Closes whatever was active and returns to STATE_NEW; a refused configuration changes nothing. */
  initialize(configuration: unknown = {}): GodotError {
    if (!this.#fitsOneRecord('initialize', CMD_INITIALIZE_SIZE, JSON.stringify(configuration) ?? '')) return GodotError.ERR_INVALID_PARAMETER;
    const status = this.#link.core.initialize(this.handle, configuration);
    if (status === Status.OK) {
      this.#closeLocally();
      this.#closed = false;
      this.#connection = ConnectionState.STATE_NEW;
      this.#gathering = GatheringState.GATHERING_STATE_NEW;
      this.#signaling = SignalingState.SIGNALING_STATE_STABLE;
    }
    return toGodotError(status);
  }

  /** A channel, or null (with one error line) when the options are refused. */
  createDataChannel(label: string, options: unknown = {}): DataChannel | null {
    if (this.#closed) {
      this.#link.log('error', 'create_data_channel: the peer connection is closed; call initialize() first');
      return null;
    }
    if (!this.#fitsOneRecord('create_data_channel', CMD_CREATE_DATA_CHANNEL_SIZE, label, JSON.stringify(options) ?? '')) return null;
    const result = this.#link.core.createDataChannel(this.handle, label, options);
    if (result.status !== Status.OK || result.ch === undefined || !result.channel) return null;
    return this.#adopt(result.ch, result.channel);
  }

  createOffer(): GodotError {
    return toGodotError(this.#link.core.createOffer(this.handle));
  }

  setLocalDescription(type: string, sdp: string): GodotError {
    if (!this.#fitsOneRecord('set_local_description', CMD_SET_DESCRIPTION_SIZE, type, sdp)) return GodotError.ERR_INVALID_PARAMETER;
    return toGodotError(this.#link.core.setLocalDescription(this.handle, type, sdp));
  }

  setRemoteDescription(type: string, sdp: string): GodotError {
    if (!this.#fitsOneRecord('set_remote_description', CMD_SET_DESCRIPTION_SIZE, type, sdp)) return GodotError.ERR_INVALID_PARAMETER;
    return toGodotError(this.#link.core.setRemoteDescription(this.handle, type, sdp));
  }

  addIceCandidate(media: string, index: number, name: string): GodotError {
    if (!this.#fitsOneRecord('add_ice_candidate', CMD_ADD_ICE_CANDIDATE_SIZE, media, name)) return GodotError.ERR_INVALID_PARAMETER;
    return toGodotError(this.#link.core.addIceCandidate(this.handle, media, index, name));
  }

  /** Emits every signal queued since the last call, in order. Never blocks. */
  poll(): GodotError {
    const signals = this.#signals;
    this.#signals = [];
    for (const signal of signals) {
      if (this.#closed) break;
      this.#emit(signal);
    }
    for (const channel of this.#channels.values()) channel.poll();
    return GodotError.OK;
  }

  close(): void {
    this.#closeLocally();
    this.#link.core.closePeer(this.handle);
  }

  getConnectionState(): ConnectionState {
    return this.#connection;
  }

  getGatheringState(): GatheringState {
    return this.#gathering;
  }

  getSignalingState(): SignalingState {
    return this.#signaling;
  }

  /** get_stats(): the stack's numbers now (README.md, "Connection stats"); {} once disposed. */
  getStats(): StatsDictionary {
    const result = this.#link.core.peerStats(this.handle);
    if (!result.stats) return {};
    return peerStatsDictionary(result.stats, { connection: this.#connection, gathering: this.#gathering, signaling: this.#signaling });
  }

  /** The script dropped its last reference: close and forget. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#closeLocally();
    this.#link.forgetPeer(this.handle);
    this.#link.core.freePeer(this.handle);
  }

  // ---- Fed by the session ---------------------------------------------------

  onEvent(event: CoreEvent): void {
    if (this.#closed) return;
    switch (event.kind) {
      case 'description':
        this.#signals.push({ name: 'session_description_created', args: [event.type, event.sdp] });
        return;
      case 'candidate':
        this.#signals.push({ name: 'ice_candidate_created', args: [event.mid, event.index, event.candidate] });
        return;
      case 'connection-state':
        this.#connection = event.state;
        return;
      case 'gathering-state':
        this.#gathering = event.state;
        return;
      case 'signaling-state':
        this.#signaling = event.state;
        return;
      case 'channel-received': {
        const channel = this.#adopt(event.ch, event.channel);
        this.#signals.push({ name: 'data_channel_received', args: [channel] });
        return;
      }
      default:
        return;
    }
  }

  /**
   * The C client carries a call's text in one bridge record and refuses more, with this line
   * (wc_peer.c, wc_too_large); the same check here keeps the two answers the same.
   */
  #fitsOneRecord(what: string, fixedBytes: number, ...texts: string[]): boolean {
    const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
    if (bytes <= RECORD_MAX_PAYLOAD - fixedBytes) return true;
    this.#link.log('error', `${what}: the arguments are larger than one bridge record (${RECORD_MAX_PAYLOAD} bytes)`);
    return false;
  }

  #adopt(handle: Handle, description: ChannelDescription): DataChannel {
    const channel = new DataChannel(handle, description, this.#link);
    this.#channels.set(handle, channel);
    return this.#link.adoptChannel(channel);
  }

  #emit(signal: Signal): void {
    for (const listener of this.#listeners[signal.name]) {
      (listener as (...args: unknown[]) => void)(...signal.args);
    }
  }

  /** Synchronous half of close(): states CLOSED, channels CLOSED, no more signals. */
  #closeLocally(): void {
    this.#closed = true;
    this.#signals = [];
    this.#connection = ConnectionState.STATE_CLOSED;
    this.#signaling = SignalingState.SIGNALING_STATE_CLOSED;
    for (const channel of this.#channels.values()) {
      if (channel.getReadyState() !== ChannelState.STATE_CLOSED) channel.markClosed();
    }
    this.#channels.clear();
  }
}
