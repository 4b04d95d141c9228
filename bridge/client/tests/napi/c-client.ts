// The C client (bridge/client/wc.h) in the conformance rows' shape (extension/src/testing/
// rtc-shape.ts), through the test-only binding wc_napi.c. It does what a Godot shim does and
// no more: one wc_* call per method, statuses already Godot Errors, and poll() hands each
// signal from wc_peer_next_signal to the connected listeners, as gde_peer.c's _poll emits
// them. The client starts the real worker (build/worker/worker.mjs) on real node-datachannel.
//
// The client is one per process; a session here is the set of objects a test made, freed by
// close(). Log lines go to the newest open session's logger, right after the call that
// produced them (the binding buffers them: the client may log from its watcher thread).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GodotError } from '../../../../extension/src/godot/enums.generated.js';
import type { ChannelState, ConnectionState, GatheringState, SignalingState, WriteMode } from '../../../../extension/src/godot/enums.generated.js';
import type { LogLevel } from '../../../../extension/src/core/events.js';
import type { Logger, RtcChannel, RtcPeer, RtcSession, RtcSignals, TapEvent } from '../../../../extension/src/testing/rtc-shape.js';
import type { StatsDictionary } from '../../../../extension/src/api/stats-dictionary.js';
import { MessageKind } from '../../../protocol/protocol.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** Built by `make -C bridge conformance` (also part of `for-vitest`, the tests' global setup). */
export const BINDING_PATH = join(ROOT, 'bridge', 'client', 'build', 'wc_napi.node');

interface ChannelInfo {
  label: string;
  protocol: string;
  id: number;
  maxPacketLifeTime: number;
  maxRetransmits: number;
  maxPacketSize: number;
  ordered: boolean;
  negotiated: boolean;
}

interface Signal {
  kind: number;
  type: string;
  sdp: string;
  mid: string;
  index: number;
  candidate: string;
  channel: number;
}

/** wc_napi.c's exports: every error is a Godot Error, pairs are [error, value]. */
interface Binding {
  configure(worker: string, node: string, shmAddon: string): void;
  setTestLimits(send: number, receive: number): void;
  holdEvents(on: number): void;
  setTapping(on: boolean): void;
  takeLogs(): Array<[number, string]>;
  takeTaps(): Array<[number, number, number]>;
  shutdown(): void;
  stats(): { workerPid: number; workersStarted: number; commands: number; events: number; peersCreated: number };
  peerCreate(): [GodotError, number];
  peerFree(peer: number): GodotError;
  peerInitialize(peer: number, config: string): GodotError;
  peerCreateDataChannel(peer: number, label: string, options: string): [GodotError, number];
  peerCreateOffer(peer: number): GodotError;
  peerSetDescription(peer: number, remote: boolean, type: string, sdp: string): GodotError;
  peerAddIceCandidate(peer: number, mid: string, index: number, candidate: string): GodotError;
  peerPoll(peer: number): [GodotError, number];
  peerNextSignal(peer: number): Signal | null;
  peerClose(peer: number): GodotError;
  peerGetConnectionState(peer: number): [GodotError, number];
  peerGetGatheringState(peer: number): [GodotError, number];
  peerGetSignalingState(peer: number): [GodotError, number];
  peerGetStats(peer: number): [GodotError, StatsDictionary];
  channelGetStats(channel: number): [GodotError, StatsDictionary];
  channelGetInfo(channel: number): [GodotError, ChannelInfo];
  channelPutPacket(channel: number, data: Uint8Array): GodotError;
  channelGetPacket(channel: number): [GodotError, Uint8Array];
  channelGetAvailablePacketCount(channel: number): [GodotError, number];
  channelWasStringPacket(channel: number): [GodotError, boolean];
  channelSetWriteMode(channel: number, mode: number): GodotError;
  channelGetWriteMode(channel: number): [GodotError, number];
  channelGetReadyState(channel: number): [GodotError, number];
  channelGetBufferedAmount(channel: number): [GodotError, number];
  channelGetDroppedCount(channel: number): [GodotError, number];
  channelPoll(channel: number): GodotError;
  channelClose(channel: number): GodotError;
  channelFree(channel: number): GodotError;
}

// wc.h's wc_signal_kind.
const SIGNAL_DESCRIPTION = 1;
const SIGNAL_CANDIDATE = 2;
const SIGNAL_CHANNEL = 3;
// bp_log_level: 0 error, 1 warning, 2 info.
const LEVELS: readonly LogLevel[] = ['error', 'warning', 'info'];
const TAP_KINDS = new Map<number, TapEvent['kind']>([
  [MessageKind.CONNECTION_STATE, 'connection-state'],
  [MessageKind.GATHERING_STATE, 'gathering-state'],
  [MessageKind.SIGNALING_STATE, 'signaling-state'],
  [MessageKind.DESCRIPTION, 'description'],
  [MessageKind.CANDIDATE, 'candidate'],
]);

let loaded: Binding | undefined;

function binding(): Binding {
  if (loaded === undefined) {
    const required = createRequire(import.meta.url)(BINDING_PATH) as Binding;
    required.configure(join(ROOT, 'build', 'worker', 'worker.mjs'), process.execPath, join(ROOT, 'bridge', 'node', 'build', 'shm.node'));
    loaded = required;
  }
  return loaded;
}

export interface CClientSessionOptions {
  readonly logger: Logger;
  /** Per-channel limits instead of the protocol's (the C client's test hook). */
  readonly receiveLimit?: number;
  readonly sendLimit?: number;
  /** Sees the peer events as the client applies them. */
  readonly tap?: (event: TapEvent) => void;
}

const open: CClientSession[] = [];

/** Hands what the client logged and tapped during the last call to the newest open session. */
function deliver(): void {
  const b = binding();
  const session = open.at(-1);
  for (const [level, message] of b.takeLogs()) {
    if (session) session.options.logger(LEVELS[level] ?? 'error', message);
    else process.stderr.write(`godot-webrtc (C client, no session): ${message}\n`);
  }
  for (const [type, pc, state] of b.takeTaps()) {
    const kind = TAP_KINDS.get(type);
    if (!session?.options.tap || kind === undefined) continue;
    session.options.tap(kind === 'description' || kind === 'candidate' ? { kind, pc } : { kind, pc, state });
  }
}

/** Runs one binding call, then delivers its log lines and events. */
function call<T>(run: (b: Binding) => T): T {
  const result = run(binding());
  deliver();
  return result;
}

export class CClientSession implements RtcSession<CChannel> {
  readonly options: CClientSessionOptions;
  readonly #peers = new Set<CPeer>();
  readonly #channels = new Map<number, CChannel>();

  constructor(options: CClientSessionOptions) {
    this.options = options;
    call((b) => {
      b.setTestLimits(options.sendLimit ?? 0, options.receiveLimit ?? 0);
      b.setTapping(options.tap !== undefined);
    });
    open.push(this);
  }

  createPeerConnection(): CPeer {
    const peer = new CPeer(this);
    this.#peers.add(peer);
    return peer;
  }

  /** The channel object for a client handle (one per handle, as a shim wraps each once). */
  channel(handle: number): CChannel {
    let channel = this.#channels.get(handle);
    if (!channel) {
      channel = new CChannel(handle);
      this.#channels.set(handle, channel);
    }
    return channel;
  }

  close(): void {
    for (const peer of this.#peers) peer.dispose();
    for (const channel of this.#channels.values()) channel.dispose();
    this.#peers.clear();
    this.#channels.clear();
    call((b) => {
      b.setTestLimits(0, 0);
      b.setTapping(false);
    });
    open.splice(open.indexOf(this), 1);
  }
}

type Listeners = { [K in keyof RtcSignals<CChannel>]: Set<RtcSignals<CChannel>[K]> };

export class CPeer implements RtcPeer<CChannel> {
  readonly handle: number;
  readonly #session: CClientSession;
  readonly #listeners: Listeners = {
    session_description_created: new Set(),
    ice_candidate_created: new Set(),
    data_channel_received: new Set(),
  };
  #disposed = false;

  constructor(session: CClientSession) {
    this.#session = session;
    const [error, handle] = call((b) => b.peerCreate());
    if (error !== GodotError.OK) throw new Error(`wc_peer_create returned ${error}`);
    this.handle = handle;
  }

  connect<K extends keyof RtcSignals<CChannel>>(signal: K, listener: RtcSignals<CChannel>[K]): void {
    this.#listeners[signal].add(listener);
  }

  disconnect<K extends keyof RtcSignals<CChannel>>(signal: K, listener: RtcSignals<CChannel>[K]): void {
    this.#listeners[signal].delete(listener);
  }

  /** The shims pass the configuration Dictionary as JSON text. */
  initialize(configuration: unknown = {}): GodotError {
    return call((b) => b.peerInitialize(this.handle, JSON.stringify(configuration) ?? ''));
  }

  createDataChannel(label: string, options: unknown = {}): CChannel | null {
    const [error, handle] = call((b) => b.peerCreateDataChannel(this.handle, label, JSON.stringify(options) ?? ''));
    return error === GodotError.OK && handle !== 0 ? this.#session.channel(handle) : null;
  }

  createOffer(): GodotError {
    return call((b) => b.peerCreateOffer(this.handle));
  }

  setLocalDescription(type: string, sdp: string): GodotError {
    return call((b) => b.peerSetDescription(this.handle, false, type, sdp));
  }

  setRemoteDescription(type: string, sdp: string): GodotError {
    return call((b) => b.peerSetDescription(this.handle, true, type, sdp));
  }

  addIceCandidate(media: string, index: number, name: string): GodotError {
    return call((b) => b.peerAddIceCandidate(this.handle, media, index, name));
  }

  /** gde_peer.c's _poll: wc_peer_poll, then every signal it made available, in order. */
  poll(): GodotError {
    const [error] = call((b) => b.peerPoll(this.handle));
    for (;;) {
      if (error !== GodotError.OK || this.#disposed) break;
      const signal = call((b) => b.peerNextSignal(this.handle));
      if (signal === null) break;
      this.#emit(signal);
    }
    return error;
  }

  close(): void {
    call((b) => b.peerClose(this.handle));
  }

  getConnectionState(): ConnectionState {
    return call((b) => b.peerGetConnectionState(this.handle))[1] as ConnectionState;
  }

  getGatheringState(): GatheringState {
    return call((b) => b.peerGetGatheringState(this.handle))[1] as GatheringState;
  }

  getSignalingState(): SignalingState {
    return call((b) => b.peerGetSignalingState(this.handle))[1] as SignalingState;
  }

  getStats(): StatsDictionary {
    return call((b) => b.peerGetStats(this.handle))[1];
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    call((b) => b.peerFree(this.handle));
  }

  #emit(signal: Signal): void {
    if (signal.kind === SIGNAL_DESCRIPTION) {
      for (const listener of [...this.#listeners.session_description_created]) listener(signal.type, signal.sdp);
    } else if (signal.kind === SIGNAL_CANDIDATE) {
      for (const listener of [...this.#listeners.ice_candidate_created]) listener(signal.mid, signal.index, signal.candidate);
    } else if (signal.kind === SIGNAL_CHANNEL) {
      const channel = this.#session.channel(signal.channel);
      for (const listener of [...this.#listeners.data_channel_received]) listener(channel);
    }
  }
}

const EMPTY = new Uint8Array(0);

export class CChannel implements RtcChannel {
  readonly handle: number;
  #packetError: GodotError = GodotError.OK;
  #disposed = false;

  constructor(handle: number) {
    this.handle = handle;
  }

  #info(): ChannelInfo {
    return call((b) => b.channelGetInfo(this.handle))[1];
  }

  putPacket(data: Uint8Array): GodotError {
    return call((b) => b.channelPutPacket(this.handle, data));
  }

  getPacket(): Uint8Array {
    const [error, data] = call((b) => b.channelGetPacket(this.handle));
    this.#packetError = error;
    return error === GodotError.OK ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : EMPTY;
  }

  getPacketError(): GodotError {
    return this.#packetError;
  }

  getAvailablePacketCount(): number {
    return call((b) => b.channelGetAvailablePacketCount(this.handle))[1];
  }

  poll(): GodotError {
    return call((b) => b.channelPoll(this.handle));
  }

  close(): void {
    call((b) => b.channelClose(this.handle));
  }

  wasStringPacket(): boolean {
    return call((b) => b.channelWasStringPacket(this.handle))[1];
  }

  setWriteMode(mode: number): void {
    call((b) => b.channelSetWriteMode(this.handle, mode));
  }

  getWriteMode(): WriteMode {
    return call((b) => b.channelGetWriteMode(this.handle))[1] as WriteMode;
  }

  getReadyState(): ChannelState {
    return call((b) => b.channelGetReadyState(this.handle))[1] as ChannelState;
  }

  getLabel(): string {
    return this.#info().label;
  }

  getProtocol(): string {
    return this.#info().protocol;
  }

  isOrdered(): boolean {
    return this.#info().ordered;
  }

  isNegotiated(): boolean {
    return this.#info().negotiated;
  }

  getId(): number {
    return this.#info().id;
  }

  getMaxPacketLifeTime(): number {
    return this.#info().maxPacketLifeTime;
  }

  getMaxRetransmits(): number {
    return this.#info().maxRetransmits;
  }

  getMaxPacketSize(): number {
    return this.#info().maxPacketSize;
  }

  getBufferedAmount(): number {
    return call((b) => b.channelGetBufferedAmount(this.handle))[1];
  }

  get droppedPacketCount(): number {
    return call((b) => b.channelGetDroppedCount(this.handle))[1];
  }

  getStats(): StatsDictionary {
    return call((b) => b.channelGetStats(this.handle))[1];
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    call((b) => b.channelFree(this.handle));
  }
}

/** While held, no call drains the worker's events (wc_test_hold_events); never around a synchronous call. */
export function holdCClientEvents(on: boolean): void {
  call((b) => b.holdEvents(on ? 1 : 0));
}

/** What the client has done so far in this process (wc_get_stats). */
export function cClientStats(): ReturnType<Binding['stats']> {
  return call((b) => b.stats());
}
