// The one module that imports node-datachannel (docs/style.md item 8).
import ndc from 'node-datachannel';
import type { ChannelOptions } from '../config/channel-options.js';
import type { PeerConfig } from '../config/peer-config.js';
import type { LogLevel } from '../core/events.js';
import { logShows } from '../core/log-level.js';
import {
  type DescriptionType,
  type Transport,
  type TransportChannel,
  type TransportChannelHandlers,
  TransportError,
  type TransportGatheringState,
  type TransportIceState,
  type TransportPeer,
  type TransportPeerHandlers,
  type TransportProblem,
  type TransportPeerState,
  type TransportPeerStats,
} from './transport.js';

type NdcPeer = InstanceType<typeof ndc.PeerConnection>;
type NdcChannel = ReturnType<NdcPeer['createDataChannel']>;
type NdcConfig = ConstructorParameters<typeof ndc.PeerConnection>[1];

/** node-datachannel reports 65535 for "no stream id yet". */
const NO_STREAM_ID = 65535;
const RELAY_TYPE = { udp: 'TurnUdp', tcp: 'TurnTcp', tls: 'TurnTls' } as const;

let nextPeerName = 0;

/**
 * node-datachannel aborts the process (std::terminate) when a JS callback
 * throws, so every callback into the core runs behind this guard.
 */
function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      reportUncaught(error);
    }
  };
}

function reportUncaught(error: unknown): void {
  process.stderr.write(`ERROR: uncaught in a WebRTC callback: ${(error as Error)?.stack ?? String(error)}\n`);
}

function rethrow(error: unknown): never {
  throw new TransportError(error instanceof Error ? error.message.replace(/^libdatachannel error[^:]*: /, '') : String(error));
}

export function toNdcConfig(config: PeerConfig): NdcConfig {
  return {
    // libjuice has no STUN over TLS: a stuns: server would get plain STUN on its TLS port.
    iceServers: config.iceServers.filter((s) => s.scheme !== 'stuns').map((s) => ({
      hostname: s.hostname,
      port: s.port,
      ...(s.relay !== undefined ? { relayType: RELAY_TYPE[s.relay], username: s.username, password: s.credential } : {}),
    })),
    iceTransportPolicy: config.iceTransportPolicy,
    // Godot's contract separates create_offer from set_local_description;
    // the core drives every description itself.
    disableAutoNegotiation: true,
    enableIceTcp: config.enableIceTcp,
    enableIceUdpMux: config.enableIceUdpMux,
    ...(config.portRangeBegin !== undefined ? { portRangeBegin: config.portRangeBegin } : {}),
    ...(config.portRangeEnd !== undefined ? { portRangeEnd: config.portRangeEnd } : {}),
    ...(config.mtu !== undefined ? { mtu: config.mtu } : {}),
    ...(config.bindAddress !== undefined ? { bindAddress: config.bindAddress } : {}),
    ...(config.maxMessageSize !== undefined ? { maxMessageSize: config.maxMessageSize } : {}),
  };
}

class NdcChannelAdapter implements TransportChannel {
  readonly label: string;
  readonly protocol: string;
  readonly #channel: NdcChannel;
  /** Once the stack reports the channel closed, its native side may be gone: touch it no more. */
  #gone = false;
  #id: number | undefined;
  #maxMessageSize: number;

  constructor(channel: NdcChannel) {
    this.#channel = channel;
    this.label = channel.getLabel();
    this.protocol = channel.getProtocol();
    this.#maxMessageSize = channel.maxMessageSize();
    this.#readId();
  }

  setHandlers(h: TransportChannelHandlers): void {
    const ch = this.#channel;
    ch.onOpen(guard(() => {
      this.#readId();
      this.#maxMessageSize = ch.maxMessageSize();
      h.open();
    }));
    ch.onClosed(guard(() => {
      this.#gone = true;
      h.closed();
    }));
    ch.onError(guard((message: string) => h.error(message)));
    // The hot path: guarded like the others, without guard()'s rest arguments.
    ch.onMessage((msg: string | Buffer | ArrayBuffer) => {
      try {
        if (typeof msg === 'string') h.message(Buffer.from(msg, 'utf8'), true);
        else if (msg instanceof ArrayBuffer) h.message(new Uint8Array(msg), false);
        else h.message(msg, false);
      } catch (error) {
        reportUncaught(error);
      }
    });
  }

  id(): number | undefined {
    if (this.#id === undefined) this.#readId();
    return this.#id;
  }

  isOpen(): boolean {
    return !this.#gone && this.#safe(() => this.#channel.isOpen(), false);
  }

  maxMessageSize(): number {
    return this.#maxMessageSize;
  }

  bufferedAmount(): number {
    return this.#gone ? 0 : this.#safe(() => this.#channel.bufferedAmount(), 0);
  }

  #readId(): void {
    if (this.#gone) return;
    const id = this.#safe(() => this.#channel.getId(), NO_STREAM_ID);
    this.#id = id === NO_STREAM_ID || id < 0 ? undefined : id;
  }

  #safe<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch {
      this.#gone = true;
      return fallback;
    }
  }

  send(data: Uint8Array, isString: boolean): void {
    if (this.#gone) throw new TransportError('DataChannel is closed');
    try {
      if (isString) this.#channel.sendMessage(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
      else this.#channel.sendMessageBinary(data);
    } catch (error) {
      rethrow(error);
    }
  }

  close(): void {
    if (this.#gone) return;
    try {
      this.#channel.close();
    } catch {
      this.#gone = true;
    }
  }
}

class NdcPeerAdapter implements TransportPeer {
  readonly #pc: NdcPeer;
  readonly #h: TransportPeerHandlers;
  /** Problem recognition (stack-log below): what this connection's lines would name. */
  readonly usesTurn: boolean;
  remoteFingerprint: string | undefined;
  /** performance.now() when gathering ended; TURN lines are this connection's until shortly after. */
  gatheringEndedAt: number | undefined;
  #candidates = 0;
  /** Set while a failure waits STACK_LINE_GRACE_MS for the stack's lines: later events queue behind it. */
  #held: Array<() => void> | undefined;

  constructor(config: PeerConfig, h: TransportPeerHandlers) {
    this.#h = h;
    this.usesTurn = config.iceServers.some((s) => s.relay === 'udp');
    try {
      this.#pc = new ndc.PeerConnection(`pc${nextPeerName++}`, toNdcConfig(config));
    } catch (error) {
      rethrow(error);
    }
    const relayOnly = config.iceTransportPolicy === 'relay';
    const pc = this.#pc;
    pc.onLocalDescription(guard((sdp: string, type: string) => this.#deliver(() => h.localDescription(type === 'offer' ? 'offer' : 'answer', sdp))));
    pc.onLocalCandidate(guard((candidate: string, mid: string) => this.#deliver(() => (this.#candidates++, h.localCandidate(candidate, mid)))));
    pc.onStateChange(guard((state: string) => {
      if (state === 'failed') this.#hold();
      this.#deliver(() => h.stateChange(state as TransportPeerState));
    }));
    pc.onGatheringStateChange(guard((state: string) => {
      if (state === 'complete') {
        this.gatheringEndedAt = performance.now();
        // Relay-only without a candidate fails at once: let the TURN server's refusal come in first.
        if (relayOnly && this.#candidates === 0) this.#hold();
      }
      this.#deliver(() => h.gatheringStateChange(state as TransportGatheringState));
    }));
    // Not held: ICE's own queue may bring "connected" after the 'failed' it preceded, and the FAILED line needs it.
    pc.onIceStateChange(guard((state: string) => h.iceStateChange(state as TransportIceState)));
    pc.onDataChannel(guard((channel: NdcChannel) => this.#deliver(() => h.dataChannel(new NdcChannelAdapter(channel)))));
    livePeers.add(this);
  }

  /**
   * The stack's log lines come on their own queue, which may run after the
   * state change that they explain: a failure waits a moment for them, and
   * every later event of this connection waits behind it, in order.
   */
  #hold(): void {
    if (this.#held) return;
    const held: Array<() => void> = [];
    this.#held = held;
    setTimeout(guard(() => {
      this.#held = undefined;
      for (const deliver of held) deliver();
    }), STACK_LINE_GRACE_MS).unref();
  }

  #deliver(deliver: () => void): void {
    if (this.#held) this.#held.push(guard(deliver));
    else deliver();
  }

  problem(problem: TransportProblem): void {
    this.#h.problem?.(problem);
  }

  stats(): TransportPeerStats {
    const pc = this.#pc;
    const read = <T>(fn: () => T, fallback: T): T => {
      try {
        return fn();
      } catch {
        return fallback;
      }
    };
    // rtt(): libdatachannel's SctpTransport::rtt(), usrsctp's SCTP_STATUS
    // sstat_primary.spinfo_srtt (the smoothed RTT, whole ms); node-datachannel
    // gives -1 when there is none (SCTP not connected).
    const rtt = read(() => pc.rtt(), -1);
    const pair = read(() => pc.getSelectedCandidatePair(), null);
    const side = (c: { type: string; address: string; port: number; transportType: string }) => ({
      type: c.type,
      address: c.address,
      port: c.port,
      transport: c.transportType,
    });
    return {
      state: read(() => pc.state() as TransportPeerState, 'closed'),
      iceState: read(() => pc.iceState() as TransportIceState, 'closed'),
      bytesSent: read(() => pc.bytesSent(), 0),
      bytesReceived: read(() => pc.bytesReceived(), 0),
      srttMs: rtt >= 0 ? rtt : undefined,
      selectedPair: pair ? { local: side(pair.local), remote: side(pair.remote) } : undefined,
    };
  }

  setLocalDescription(type: DescriptionType): void {
    try {
      this.#pc.setLocalDescription(type);
    } catch (error) {
      rethrow(error);
    }
  }

  setRemoteDescription(sdp: string, type: DescriptionType): void {
    this.remoteFingerprint = /^a=fingerprint:\S+\s+(\S+)/im.exec(sdp)?.[1]?.toUpperCase();
    try {
      this.#pc.setRemoteDescription(sdp, type);
    } catch (error) {
      rethrow(error);
    }
  }

  addRemoteCandidate(candidate: string, mid: string): void {
    try {
      this.#pc.addRemoteCandidate(candidate, mid);
    } catch (error) {
      rethrow(error);
    }
  }

  createDataChannel(o: ChannelOptions): TransportChannel {
    try {
      const channel = this.#pc.createDataChannel(o.label, {
        protocol: o.protocol,
        negotiated: o.negotiated,
        ...(o.id !== undefined ? { id: o.id } : {}),
        unordered: !o.ordered,
        ...(o.maxPacketLifeTime !== undefined ? { maxPacketLifeTime: o.maxPacketLifeTime } : {}),
        ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}),
      });
      return new NdcChannelAdapter(channel);
    } catch (error) {
      rethrow(error);
    }
  }

  close(): void {
    livePeers.delete(this);
    try {
      this.#pc.close();
    } catch {
      // Already closed.
    }
  }
}

// ---- libdatachannel's log ------------------------------------------------------------

/**
 * How long a failure waits for what explains it: the stack's log lines and
 * its ICE state come through other queues of node-datachannel, written in the
 * same moment but run later when the machine is busy. 50 ms was too short
 * under load (a tampered fingerprint was worded as "no ICE candidate pair
 * succeeded": neither the ICE "connected" nor the fingerprint line had run);
 * half a second costs a game nothing on a connection that has failed.
 */
const STACK_LINE_GRACE_MS = 500;

/** Lines one subscriber gets per second at most; the rest are counted and reported in one line. */
export const STACK_LINES_PER_SECOND = 50;

type NdcLogLevel = Parameters<typeof ndc.initLogger>[0];

/**
 * The stack's lines show one level later than the core's own: its warnings
 * and errors (often the same event said three ways) at "info", its info at
 * "debug", its debug and per-packet lines at "verbose". At the default
 * ("warning") the console has the core's one line per problem.
 */
const STACK_LEVEL: Record<NdcLogLevel, LogLevel> = {
  Fatal: 'info', Error: 'info', Warning: 'info', Info: 'debug', Debug: 'verbose', Verbose: 'verbose',
};

/** What initLogger asks for: never less than Warning, which problem recognition reads. */
const STACK_THRESHOLD: Record<LogLevel, NdcLogLevel> = {
  error: 'Warning', warning: 'Warning', info: 'Warning', debug: 'Info', verbose: 'Verbose',
};
const NDC_ORDER: readonly NdcLogLevel[] = ['Fatal', 'Error', 'Warning', 'Info', 'Debug', 'Verbose'];

interface LogSubscriber {
  readonly threshold: LogLevel;
  readonly sink: (level: LogLevel, line: string) => void;
  windowStart: number;
  shown: number;
  dropped: number;
  /** Ends a window that left lines out, so its count is said even if the stack goes quiet. */
  timer: NodeJS.Timeout | undefined;
}

const livePeers = new Set<NdcPeerAdapter>();
const subscribers = new Set<LogSubscriber>();
let installed: NdcLogLevel | undefined;

/**
 * Lines that say something about one connection which the stack's API does
 * not. Lines name no connection: a fingerprint line names the expected
 * fingerprint (the remote description's), a TURN refusal goes to every
 * connection with a TURN server that is gathering or just finished.
 */
function recognise(line: string): void {
  const fingerprint = /Invalid fingerprint "[^"]*", expected "([^"]+)"/.exec(line);
  if (fingerprint) {
    const expected = fingerprint[1]!.toUpperCase();
    for (const peer of livePeers) if (peer.remoteFingerprint === expected) peer.problem({ kind: 'fingerprint-mismatch' });
    return;
  }
  if (line.includes('TURN authentication failed')) {
    const now = performance.now();
    for (const peer of livePeers) {
      if (peer.usesTurn && (peer.gatheringEndedAt === undefined || now - peer.gatheringEndedAt < 1000)) peer.problem({ kind: 'turn-unauthorized' });
    }
  }
}

/** "rtc::impl::PeerConnection::changeState@1346: Changed state to failed" → the text after the source location. */
function stripSource(message: string): string {
  return message.replace(/^[\w:~<>]+@\d+: /, '').trimEnd();
}

function onStackLine(ndcLevel: NdcLogLevel, message: string): void {
  if (NDC_ORDER.indexOf(ndcLevel) <= NDC_ORDER.indexOf('Warning')) recognise(message);
  const level = STACK_LEVEL[ndcLevel] ?? 'verbose';
  const now = performance.now();
  for (const s of subscribers) {
    if (!logShows(level, s.threshold)) continue;
    if (now - s.windowStart >= 1000) closeWindow(s, now);
    if (s.shown >= STACK_LINES_PER_SECOND) {
      s.dropped++;
      s.timer ??= setTimeout(() => closeWindow(s, performance.now()), Math.max(0, s.windowStart + 1000 - now)).unref();
      continue;
    }
    s.shown++;
    // One record per line: the stack's multi-line messages (an SDP) are joined.
    s.sink(level, stripSource(message).replace(/\s*\n\s*/g, ' '));
  }
}

function closeWindow(s: LogSubscriber, now: number): void {
  clearTimeout(s.timer);
  s.timer = undefined;
  if (s.dropped > 0 && subscribers.has(s)) s.sink('warning', `${s.dropped} lines left out in one second (more than ${STACK_LINES_PER_SECOND} a second)`);
  s.windowStart = now;
  s.shown = 0;
  s.dropped = 0;
}

/**
 * (Re)installs the stack's logger at the most detailed level any subscriber
 * wants. Installed once someone subscribes, and kept: node-datachannel's
 * logger holds the event loop until cleanup(), so only a process that exits
 * by itself (the worker) or a test run subscribes.
 */
function installLogger(): void {
  let wanted: NdcLogLevel = 'Warning';
  for (const s of subscribers) {
    const level = STACK_THRESHOLD[s.threshold];
    if (NDC_ORDER.indexOf(level) > NDC_ORDER.indexOf(wanted)) wanted = level;
  }
  if (wanted === installed) return;
  installed = wanted;
  ndc.initLogger(wanted, (level: NdcLogLevel, message: string) => {
    try {
      onStackLine(level, message);
    } catch (error) {
      reportUncaught(error);
    }
  });
}

function subscribeLog(threshold: LogLevel, sink: (level: LogLevel, line: string) => void): () => void {
  const subscriber: LogSubscriber = { threshold, sink, windowStart: performance.now(), shown: 0, dropped: 0, timer: undefined };
  subscribers.add(subscriber);
  installLogger();
  return () => {
    subscribers.delete(subscriber);
    clearTimeout(subscriber.timer);
  };
}

export const ndcTransport: Transport = {
  name: 'node-datachannel',
  createPeer: (config, handlers) => new NdcPeerAdapter(config, handlers),
  subscribeLog,
};

export function stackVersion(): string {
  return `libdatachannel ${ndc.getLibraryVersion()}`;
}
