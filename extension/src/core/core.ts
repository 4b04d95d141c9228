// The core: Godot's WebRTC semantics behind integer handles. Every command is
// a method that returns a Status; everything else it has to say comes out of
// the event sink, in order. This is the surface the worker serves over the
// bridge, and what api/ (the in-process Godot-shaped facade) drives.
import type { ChannelDescription, EventSink, Handle, LogLevel } from './events.js';
import { parseChannelOptions } from '../config/channel-options.js';
import { misspeltKeys } from '../config/key-spelling.js';
import { parsePeerConfig } from '../config/peer-config.js';
import { Status } from '../godot/status.js';
import type { Transport } from '../transport/transport.js';
import { CoreChannel } from './core-channel.js';
import { CorePeer, type PeerHost } from './core-peer.js';
import type { ChannelStats, PeerStats } from './peer-stats.js';
import { logShows } from './log-level.js';

/** How often the core re-reads the stack's buffered amount while it drains. */
const DRAIN_POLL_MS = 5;

export interface CreatedChannel {
  readonly status: Status;
  readonly ch?: Handle;
  readonly channel?: ChannelDescription;
}

export interface CoreOptions {
  /**
   * Log lines above this level are not emitted, and the stack's own lines at
   * it and below are (log-level.ts). Unset: the core's lines up to info, no stack line.
   */
  readonly logLevel?: LogLevel;
}

export class Core {
  readonly transport: Transport;
  readonly #sink: EventSink;
  readonly #unsubscribeLog: (() => void) | undefined;
  #nextHandle = 1;
  readonly #peers = new Map<Handle, CorePeer>();
  readonly #channels = new Map<Handle, CoreChannel>();
  /** Channels whose send accounting changed this turn. */
  readonly #dirty = new Set<CoreChannel>();
  #flushScheduled = false;
  /** Channels whose stack buffer is not empty yet. */
  readonly #draining = new Set<CoreChannel>();
  #drainTimer: NodeJS.Timeout | undefined;

  readonly #peerHost: PeerHost;

  constructor(transport: Transport, sink: EventSink, options: CoreOptions = {}) {
    this.transport = transport;
    const threshold = options.logLevel;
    // Unset: the lines a Session always had (up to info), never debug ones.
    const shown = threshold ?? 'info';
    this.#sink = (event) => (event.kind !== 'log' || logShows(event.level, shown)) && sink(event);
    // The stack's lines name no connection: pc 0, tagged with where they come from.
    this.#unsubscribeLog = threshold === undefined
      ? undefined
      : transport.subscribeLog?.(threshold, (level, line) => sink({ kind: 'log', pc: 0, level, message: `[libdatachannel] ${line}` }));
    this.#peerHost = {
      transport,
      emit: (event) => this.#sink(event),
      newHandle: () => this.#newHandle(),
      addChannel: (channel) => this.#channels.set(channel.handle, channel),
      markBuffered: (channel) => this.#markBuffered(channel),
    };
  }

  /** Cheap: no WebRTC object exists until initialize() or the first call that needs one. */
  createPeer(): Handle {
    const handle = this.#newHandle();
    this.#peers.set(handle, new CorePeer(handle, this.#peerHost));
    return handle;
  }

  initialize(pc: Handle, config: unknown): Status {
    const peer = this.#peers.get(pc);
    if (!peer) return Status.STALE_HANDLE;
    const parsed = parsePeerConfig(config);
    if (!parsed.ok) {
      peer.log('error', `initialize: "${parsed.key}" ${parsed.message}`);
      return Status.INVALID_PARAMETER;
    }
    const misspelt = misspeltKeys(config);
    if (misspelt !== undefined) peer.log('warning', `initialize: ${misspelt}`);
    for (const server of parsed.value.iceServers) {
      if (server.scheme === 'stuns') {
        peer.log('warning', `initialize: STUN over TLS (stuns:${server.hostname}) is not supported by libjuice and is ignored`);
      } else if (server.relay === 'tcp' || server.relay === 'tls') {
        peer.log('warning', `initialize: TURN over ${server.relay.toUpperCase()} (${server.scheme}:${server.hostname}) is not supported by libjuice and is ignored; only TURN over UDP relays`);
      }
    }
    return peer.initialize(parsed.value);
  }

  createDataChannel(pc: Handle, label: unknown, options: unknown): CreatedChannel {
    const peer = this.#peers.get(pc);
    if (!peer) return { status: Status.STALE_HANDLE };
    const parsed = parseChannelOptions(label, options);
    if (!parsed.ok) {
      peer.log('error', `create_data_channel: "${parsed.key}" ${parsed.message}`);
      return { status: Status.INVALID_PARAMETER };
    }
    for (const warning of parsed.value.warnings) peer.log('warning', `create_data_channel: ${warning}`);
    const result = peer.createDataChannel(parsed.value.options);
    if (!result.channel) return { status: result.status };
    return { status: Status.OK, ch: result.channel.handle, channel: result.channel.description };
  }

  createOffer(pc: Handle): Status {
    return this.#peers.get(pc)?.createOffer() ?? Status.STALE_HANDLE;
  }

  setLocalDescription(pc: Handle, type: string, sdp: string): Status {
    return this.#peers.get(pc)?.setLocalDescription(type, sdp) ?? Status.STALE_HANDLE;
  }

  setRemoteDescription(pc: Handle, type: string, sdp: string): Status {
    return this.#peers.get(pc)?.setRemoteDescription(type, sdp) ?? Status.STALE_HANDLE;
  }

  addIceCandidate(pc: Handle, mid: string, index: number, candidate: string): Status {
    return this.#peers.get(pc)?.addIceCandidate(mid, index, candidate) ?? Status.STALE_HANDLE;
  }

  /** get_stats() of a peer connection: the stack's numbers now (see peer-stats.ts). */
  peerStats(pc: Handle): { status: Status; stats?: PeerStats } {
    const peer = this.#peers.get(pc);
    return peer ? { status: Status.OK, stats: peer.stats() } : { status: Status.STALE_HANDLE };
  }

  /** The message counters of a data channel. */
  channelStats(ch: Handle): { status: Status; stats?: ChannelStats } {
    const channel = this.#channels.get(ch);
    return channel ? { status: Status.OK, stats: channel.stats() } : { status: Status.STALE_HANDLE };
  }

  closePeer(pc: Handle): Status {
    const peer = this.#peers.get(pc);
    if (!peer) return Status.STALE_HANDLE;
    peer.close();
    return Status.OK;
  }

  /** Closes the connection and forgets the handle; its channels live on until freed. */
  freePeer(pc: Handle): Status {
    const status = this.closePeer(pc);
    this.#peers.delete(pc);
    return status;
  }

  send(ch: Handle, data: Uint8Array, isString: boolean): Status {
    const channel = this.#channels.get(ch);
    if (!channel) return Status.STALE_HANDLE;
    return channel.send(data, isString) ? Status.OK : Status.WRONG_STATE;
  }

  closeChannel(ch: Handle): Status {
    const channel = this.#channels.get(ch);
    if (!channel) return Status.STALE_HANDLE;
    channel.close();
    return Status.OK;
  }

  freeChannel(ch: Handle): Status {
    const channel = this.#channels.get(ch);
    if (!channel) return Status.STALE_HANDLE;
    channel.close();
    this.#channels.delete(ch);
    this.#dirty.delete(channel);
    this.#draining.delete(channel);
    return Status.OK;
  }

  /** Closes everything (worker shutdown). */
  closeAll(): void {
    this.#unsubscribeLog?.();
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    this.#channels.clear();
    this.#dirty.clear();
    this.#draining.clear();
    if (this.#drainTimer) clearInterval(this.#drainTimer);
    this.#drainTimer = undefined;
  }

  get peerCount(): number {
    return this.#peers.size;
  }

  // ---- Internals ----------------------------------------------------------


  #newHandle(): Handle {
    const handle = this.#nextHandle;
    this.#nextHandle = this.#nextHandle >= 0x7fffffff ? 1 : this.#nextHandle + 1;
    return handle;
  }

  #markBuffered(channel: CoreChannel): void {
    this.#dirty.add(channel);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flushBuffered());
  }

  #flushBuffered(): void {
    this.#flushScheduled = false;
    for (const channel of this.#dirty) this.#report(channel);
    this.#dirty.clear();
  }

  #report(channel: CoreChannel): void {
    if (!this.#channels.has(channel.handle)) return;
    const buffered = channel.bufferedAmount();
    this.#sink({ kind: 'channel-buffered', ch: channel.handle, sent: channel.sent, buffered });
    if (buffered > 0) {
      this.#draining.add(channel);
      this.#drainTimer ??= setInterval(() => this.#pollDraining(), DRAIN_POLL_MS).unref();
    } else {
      this.#draining.delete(channel);
    }
  }

  #pollDraining(): void {
    for (const channel of this.#draining) {
      if (!this.#dirty.has(channel)) this.#report(channel);
    }
    if (this.#draining.size === 0 && this.#drainTimer) {
      clearInterval(this.#drainTimer);
      this.#drainTimer = undefined;
    }
  }
}
