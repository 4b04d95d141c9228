// The core's side of one peer connection: Godot's three state machines and the
// offer/answer exchange on top of a transport peer (docs/semantics.md).
//
// The stack applies a local description as soon as it generates one, and then
// gathers at once; Godot's contract is that nothing ICE-related is reported
// before the script's `set_local_description`. So candidates, gathering and
// connection states are held until then, and released in order.
//
// The offerer also holds its own candidates until its ICE connects (or
// OFFER_CANDIDATE_GATE_MS passes after the offerer could start its checks).
// libdatachannel 0.24.5 races when the
// answerer's DTLS ClientHello reaches an offerer whose DTLS transport is just
// starting: the hello sits unread until OpenSSL's 1 s retransmit, and in
// about 1 pair in 500 the fingerprint check runs before the remote
// description is stored and the handshake fails (DtlsTransport::start
// registers its receiver before entering Connecting; setRemoteDescription
// hands ICE the description before storing it). Without the offerer's
// candidates the answerer cannot start checks, so the offerer's own checks
// lead, and by the time the answerer's hello arrives the offerer's DTLS server
// is waiting for it. Measured over 1,400 loopback pairs: 0 setups over
// 500 ms, 0 failures, against 7-16 % near 1 s without the gate.
//
// The gate's timer counts from the answer and from each remote candidate (the
// offerer cannot check before them), not from create_offer: under load (32
// pairs at once through Godot) the answer alone can take more than 300 ms to
// come back, and a gate opened before the offerer's checks start lets the
// answerer lead again (9 % of such setups took 1.0-1.5 s). A script that
// waits for all its candidates before sending its offer gets them
// OFFER_UNANSWERED_GATE_MS after create_offer.
//
// Loopback setups take about 50 ms more than the stack alone, and the gate is
// not the reason: libjuice 0.24.5 sends the answerer's triggered check
// STUN_PACING_TIME (50 ms) after the offerer's first check arrives
// (agent.c, "Triggered pair check"), and paces any later check of the
// answerer behind it; the answerer connects on that check whether or not the
// offerer's candidates arrived.
import { type ChannelOptions } from '../config/channel-options.js';
import { DEFAULT_PEER_CONFIG, type PeerConfig } from '../config/peer-config.js';
import { ConnectionState, GatheringState, SignalingState } from '../godot/enums.generated.js';
import { Status } from '../godot/status.js';
import { checkCandidate } from '../sdp/candidate.js';
import { checkSdp, normaliseSdp } from '../sdp/sdp.js';
import { toStackSdp } from '../sdp/stack-sdp.js';
import type { DescriptionType, Transport, TransportChannel, TransportGatheringState, TransportPeer, TransportPeerState, TransportPeerStats, TransportProblem } from '../transport/transport.js';
import { type ChannelHost, CoreChannel } from './core-channel.js';
import type { CoreEvent, Handle, LogLevel } from './events.js';
import { type PeerStats, peerStats } from './peer-stats.js';
import { type FailureFacts, failureReason, tally } from './failure-reason.js';

export interface PeerHost {
  readonly transport: Transport;
  emit(event: CoreEvent): void;
  newHandle(): Handle;
  addChannel(channel: CoreChannel): void;
  markBuffered(channel: CoreChannel): void;
}

/**
 * How long the offerer holds its candidates at most: a peer that can only be
 * reached through them (behind a NAT that filters) still connects, 300 ms
 * later. Loopback setups take 30-130 ms (scripts/soak.mjs).
 */
export const OFFER_CANDIDATE_GATE_MS = 300;

/**
 * How long the offerer holds its candidates when no answer has come back: a
 * script that sends its offer only with all its candidates (no trickle) waits
 * this long for them.
 */
export const OFFER_UNANSWERED_GATE_MS = 2000;

const CONNECTION: Record<TransportPeerState, ConnectionState> = {
  new: ConnectionState.STATE_NEW,
  connecting: ConnectionState.STATE_CONNECTING,
  connected: ConnectionState.STATE_CONNECTED,
  disconnected: ConnectionState.STATE_DISCONNECTED,
  failed: ConnectionState.STATE_FAILED,
  closed: ConnectionState.STATE_CLOSED,
};

const GATHERING: Record<TransportGatheringState, GatheringState> = {
  new: GatheringState.GATHERING_STATE_NEW,
  'in-progress': GatheringState.GATHERING_STATE_GATHERING,
  complete: GatheringState.GATHERING_STATE_COMPLETE,
};

interface HeldCandidate {
  readonly line: string;
  readonly mid: string;
  readonly index: number;
}

export class CorePeer implements ChannelHost {
  readonly handle: Handle;
  readonly #host: PeerHost;
  #transport: TransportPeer | undefined;
  /** Bumped by every initialize(): callbacks of an older transport peer are ignored. */
  #generation = 0;
  #closed = false;
  #unusable = false;

  connection: ConnectionState = ConnectionState.STATE_NEW;
  gathering: GatheringState = GatheringState.GATHERING_STATE_NEW;
  signaling: SignalingState = SignalingState.SIGNALING_STATE_STABLE;

  /** Generated by the stack, announced, not yet applied by the script. */
  #pending: { type: DescriptionType; sdp: string } | undefined;
  #localApplied = false;
  #remoteApplied = false;
  #localMids: readonly string[] = [];
  #remoteMids: readonly string[] = [];
  /** ICE events produced before set_local_description. */
  #heldLocal: CoreEvent[] = [];
  /** Remote candidates that arrived before the remote description. */
  #heldRemote: HeldCandidate[] = [];
  /** The offerer's candidate gate (see the top of this file). */
  #gate: 'none' | 'closed' | 'open' = 'none';
  #gated: CoreEvent[] = [];
  #gateTimer: NodeJS.Timeout | undefined;
  #config: PeerConfig = DEFAULT_PEER_CONFIG;
  /** Local candidates the stack gathered (held or not). */
  #gatheredCandidates = 0;
  /** What the FAILED line says (failure-reason.ts): candidates by type, how far ICE got, the stack's problems. */
  #localTally: Record<string, number> = {};
  #remoteTally: Record<string, number> = {};
  #iceConnected = false;
  #wasConnected = false;
  #problems: TransportProblem[] = [];
  readonly #channels = new Set<CoreChannel>();
  readonly #negotiatedIds = new Set<number>();
  #createdChannels = 0;
  /** get_stats(): the stack's last numbers once its peer is gone, and the core's own counts. */
  #lastStack: TransportPeerStats | undefined;
  #connectedAt: number | undefined;
  #packetsSent = 0;
  #packetsReceived = 0;

  constructor(handle: Handle, host: PeerHost) {
    this.handle = handle;
    this.#host = host;
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ---- ChannelHost --------------------------------------------------------

  emit(event: CoreEvent): void {
    if (!this.#closed) this.#host.emit(event);
  }

  log(level: LogLevel, message: string): void {
    this.#host.emit({ kind: 'log', pc: this.handle, level, message });
  }

  markBuffered(channel: CoreChannel): void {
    this.#host.markBuffered(channel);
  }

  countMessage(sent: boolean): void {
    if (sent) this.#packetsSent++;
    else this.#packetsReceived++;
  }

  /**
   * node-datachannel delivers a channel's open and the connection's state on
   * separate queues, so "open" can come first; an open channel means a
   * connected transport, so the connection reports CONNECTED before it.
   */
  channelOpening(): void {
    if (this.#localApplied && (this.connection === ConnectionState.STATE_NEW || this.connection === ConnectionState.STATE_CONNECTING)) {
      this.#applyLocalIce({ kind: 'connection-state', pc: this.handle, state: ConnectionState.STATE_CONNECTED });
    }
  }

  // ---- Commands -----------------------------------------------------------

  initialize(config: PeerConfig): Status {
    this.#teardown();
    this.#lastStack = undefined;
    this.#connectedAt = undefined;
    this.#packetsSent = 0;
    this.#packetsReceived = 0;
    this.#closed = false;
    this.#unusable = false;
    this.connection = ConnectionState.STATE_NEW;
    this.gathering = GatheringState.GATHERING_STATE_NEW;
    this.signaling = SignalingState.SIGNALING_STATE_STABLE;
    return this.#open(config);
  }

  createDataChannel(options: ChannelOptions): { status: Status; channel?: CoreChannel } {
    if (this.#closed || this.connection === ConnectionState.STATE_FAILED || this.connection === ConnectionState.STATE_CLOSED) {
      return this.#refuse(Status.WRONG_STATE, 'create_data_channel: the peer connection is closed or failed');
    }
    if (options.negotiated && options.id !== undefined && this.#negotiatedIds.has(options.id)) {
      return this.#refuse(Status.INVALID_PARAMETER, `create_data_channel: a negotiated channel with id ${options.id} already exists on this connection`);
    }
    const transport = this.#ensureTransport();
    if (!transport) return { status: Status.UNCONFIGURED };
    let tc: TransportChannel;
    try {
      tc = transport.createDataChannel(options);
    } catch (error) {
      return this.#refuse(Status.INVALID_PARAMETER, `create_data_channel: the WebRTC stack refused "${options.label}": ${(error as Error).message}`);
    }
    const channel = new CoreChannel(this.#host.newHandle(), this.handle, tc, this, options);
    if (options.negotiated && options.id !== undefined) this.#negotiatedIds.add(options.id);
    this.#channels.add(channel);
    this.#createdChannels++;
    this.#host.addChannel(channel);
    return { status: Status.OK, channel };
  }

  createOffer(): Status {
    if (this.#closed) return this.#fail(Status.WRONG_STATE, 'create_offer: the peer connection is closed');
    if (this.#pending?.type === 'offer') {
      this.emit({ kind: 'description', pc: this.handle, type: 'offer', sdp: this.#pending.sdp });
      return Status.OK;
    }
    if (this.connection !== ConnectionState.STATE_NEW || this.signaling !== SignalingState.SIGNALING_STATE_STABLE || this.#localApplied || this.#remoteApplied || this.#pending) {
      return this.#fail(Status.WRONG_STATE, 'create_offer: only a new connection in signaling state STABLE can make an offer (renegotiation is not supported)');
    }
    if (this.#createdChannels === 0) {
      return this.#fail(Status.UNCONFIGURED, 'create_offer: create at least one data channel first');
    }
    const transport = this.#ensureTransport();
    if (!transport) return Status.UNCONFIGURED;
    try {
      transport.setLocalDescription('offer');
    } catch (error) {
      return this.#fail(Status.INTERNAL, `create_offer: ${(error as Error).message}`);
    }
    this.#gate = 'closed';
    this.#armGate(OFFER_UNANSWERED_GATE_MS);
    return Status.OK;
  }

  setLocalDescription(type: string, sdp: string): Status {
    if (this.#closed) return this.#fail(Status.WRONG_STATE, 'set_local_description: the peer connection is closed');
    if (type !== 'offer' && type !== 'answer') {
      return this.#fail(Status.INVALID_PARAMETER, `set_local_description: type must be "offer" or "answer", got ${JSON.stringify(type)}`);
    }
    const pending = this.#pending;
    if (!pending) {
      return this.#fail(Status.WRONG_STATE, 'set_local_description: there is no description to apply; call it with what session_description_created delivered');
    }
    if (pending.type !== type) {
      return this.#fail(Status.INVALID_PARAMETER, `set_local_description: the pending description is an ${pending.type}, not an ${type}`);
    }
    if (normaliseSdp(sdp) !== normaliseSdp(pending.sdp)) {
      return this.#fail(Status.INVALID_PARAMETER, 'set_local_description: the SDP differs from the one session_description_created delivered; SDP munging is unsupported');
    }
    this.#pending = undefined;
    this.#localApplied = true;
    this.#setSignaling(type === 'offer' ? SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER : SignalingState.SIGNALING_STATE_STABLE);
    const held = this.#heldLocal;
    this.#heldLocal = [];
    for (const event of held) this.#applyLocalIce(event);
    return Status.OK;
  }

  setRemoteDescription(type: string, sdp: string): Status {
    if (this.#closed) return this.#fail(Status.WRONG_STATE, 'set_remote_description: the peer connection is closed');
    if (type !== 'offer' && type !== 'answer') {
      return this.#fail(Status.INVALID_PARAMETER, `set_remote_description: type must be "offer" or "answer", got ${JSON.stringify(type)}`);
    }
    const check = checkSdp(sdp);
    if (!check.ok) return this.#fail(Status.INVALID_PARAMETER, `set_remote_description: ${check.reason}`);
    const offerAllowed = this.signaling === SignalingState.SIGNALING_STATE_STABLE && !this.#localApplied && !this.#remoteApplied && !this.#pending;
    const answerAllowed = this.signaling === SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER;
    if ((type === 'offer' && !offerAllowed) || (type === 'answer' && !answerAllowed)) {
      return this.#fail(Status.INVALID_PARAMETER, `set_remote_description: an ${type} is not expected in signaling state ${signalingName(this.signaling)}`);
    }
    const transport = this.#ensureTransport();
    if (!transport) return Status.UNCONFIGURED;
    try {
      transport.setRemoteDescription(toStackSdp(sdp), type);
    } catch (error) {
      return this.#fail(Status.INVALID_PARAMETER, `set_remote_description: ${(error as Error).message}`);
    }
    this.#remoteApplied = true;
    this.#remoteMids = check.summary.mids;
    for (const line of sdp.split(/\r?\n/)) if (line.startsWith('a=candidate:')) tally(this.#remoteTally, line);
    this.#setSignaling(type === 'offer' ? SignalingState.SIGNALING_STATE_HAVE_REMOTE_OFFER : SignalingState.SIGNALING_STATE_STABLE);
    this.#armGate(OFFER_CANDIDATE_GATE_MS);
    const held = this.#heldRemote;
    this.#heldRemote = [];
    for (const c of held) {
      const status = this.#applyRemoteCandidate(c);
      if (status !== Status.OK) this.log('warning', 'add_ice_candidate: a candidate held until the remote description was dropped (see above)');
    }
    if (type === 'offer') {
      try {
        transport.setLocalDescription('answer');
      } catch (error) {
        this.log('error', `set_remote_description: could not create the answer: ${(error as Error).message}`);
      }
    }
    return Status.OK;
  }

  addIceCandidate(mid: string, index: number, name: string): Status {
    if (this.#closed) return this.#fail(Status.WRONG_STATE, 'add_ice_candidate: the peer connection is closed');
    if (name.trim() === '') return Status.OK; // end of candidates
    if (this.connection === ConnectionState.STATE_FAILED || this.connection === ConnectionState.STATE_CLOSED) {
      return this.#fail(Status.WRONG_STATE, 'add_ice_candidate: the connection has already failed or closed');
    }
    if (!Number.isInteger(index) || index < 0) return this.#fail(Status.INVALID_PARAMETER, `add_ice_candidate: m-line index must be 0 or more, got ${index}`);
    const check = checkCandidate(name);
    if (!check.ok) return this.#fail(Status.INVALID_PARAMETER, `add_ice_candidate: ${check.reason}`);
    const candidate = { line: check.line, mid, index };
    if (!this.#remoteApplied) {
      this.#heldRemote.push(candidate);
      return Status.OK;
    }
    return this.#applyRemoteCandidate(candidate);
  }

  /** get_stats(): read from the stack now (or its last numbers once closed). */
  stats(): PeerStats {
    const live = this.#transport?.stats();
    return peerStats({
      connection: this.connection,
      gathering: this.gathering,
      signaling: this.signaling,
      closed: this.#closed,
      live,
      last: this.#lastStack,
      connectedAt: this.#connectedAt,
      packetsSent: this.#packetsSent,
      packetsReceived: this.#packetsReceived,
    });
  }

  close(): void {
    this.#teardown();
    this.#closed = true;
    this.connection = ConnectionState.STATE_CLOSED;
    this.signaling = SignalingState.SIGNALING_STATE_CLOSED;
  }

  // ---- Internals ----------------------------------------------------------

  #open(config: PeerConfig): Status {
    this.#config = config;
    const generation = ++this.#generation;
    const live = () => generation === this.#generation && !this.#closed;
    try {
      this.#transport = this.#host.transport.createPeer(config, {
        localDescription: (type, sdp) => live() && this.#onLocalDescription(type, sdp),
        // The m-line index is found on release: the stack may deliver a
        // candidate before the description it belongs to.
        localCandidate: (candidate, mid) => {
          if (!live()) return;
          this.#gatheredCandidates++;
          tally(this.#localTally, candidate);
          this.log('debug', `local candidate: ${candidate}`);
          this.#onLocalIce({ kind: 'candidate', pc: this.handle, mid, index: -1, candidate });
        },
        stateChange: (state) => live() && this.#onLocalIce({ kind: 'connection-state', pc: this.handle, state: CONNECTION[state] }),
        gatheringStateChange: (state) => live() && this.#onGathering(state),
        iceStateChange: (state) => {
          if (!live()) return;
          this.log('debug', `ICE state ${state}`);
          if (state === 'connected' || state === 'completed') {
            this.#iceConnected = true;
            this.#openGate();
          }
        },
        problem: (problem) => live() && this.#problems.push(problem),
        dataChannel: (tc) => live() && this.#onDataChannel(tc),
      });
    } catch (error) {
      this.#unusable = true;
      return this.#fail(Status.INTERNAL, `initialize: the WebRTC stack refused the configuration: ${(error as Error).message}`);
    }
    return Status.OK;
  }

  #ensureTransport(): TransportPeer | undefined {
    if (this.#unusable) {
      this.log('error', 'the last initialize() failed; call initialize() again');
      return undefined;
    }
    if (!this.#transport && this.#open(DEFAULT_PEER_CONFIG) !== Status.OK) return undefined;
    return this.#transport;
  }

  #teardown(): void {
    this.#generation++;
    for (const channel of this.#channels) channel.detach();
    this.#channels.clear();
    this.#negotiatedIds.clear();
    this.#createdChannels = 0;
    if (this.#transport) this.#lastStack = this.#transport.stats();
    this.#transport?.close();
    this.#transport = undefined;
    this.#pending = undefined;
    this.#localApplied = false;
    this.#remoteApplied = false;
    this.#localMids = [];
    this.#remoteMids = [];
    this.#heldLocal = [];
    this.#heldRemote = [];
    clearTimeout(this.#gateTimer);
    this.#gateTimer = undefined;
    this.#gate = 'none';
    this.#gated = [];
    this.#gatheredCandidates = 0;
    this.#localTally = {};
    this.#remoteTally = {};
    this.#iceConnected = false;
    this.#wasConnected = false;
    this.#problems = [];
  }

  #onGathering(state: TransportGatheringState): void {
    this.#onLocalIce({ kind: 'gathering-state', pc: this.handle, state: GATHERING[state] });
    // With relay only and no relay candidate nothing can ever connect: say so
    // now rather than when ICE gives up 40 s later.
    if (state === 'complete' && this.#gatheredCandidates === 0 && this.#config.iceTransportPolicy === 'relay') {
      this.#onLocalIce({ kind: 'connection-state', pc: this.handle, state: ConnectionState.STATE_FAILED });
    }
  }

  #onLocalDescription(type: DescriptionType, sdp: string): void {
    const check = checkSdp(sdp);
    this.#localMids = check.ok ? check.summary.mids : [];
    this.#pending = { type, sdp };
    this.emit({ kind: 'description', pc: this.handle, type, sdp });
  }

  #onLocalIce(event: CoreEvent): void {
    if (this.#localApplied) this.#applyLocalIce(event);
    else this.#heldLocal.push(event);
  }

  #applyLocalIce(event: CoreEvent): void {
    if (this.#gate === 'closed' && (event.kind === 'candidate' || event.kind === 'gathering-state')) {
      this.#gated.push(event);
      return;
    }
    if (event.kind === 'candidate') {
      event = { ...event, index: Math.max(0, this.#localMids.indexOf(event.mid)) };
    } else if (event.kind === 'connection-state') {
      // FAILED stays until close() or initialize(): the stack closes a failed
      // connection at once, and there is no ICE restart.
      if (event.state === this.connection || this.connection === ConnectionState.STATE_FAILED) return;
      this.connection = event.state;
      if (event.state === ConnectionState.STATE_CONNECTED) this.#connectedAt = performance.now();
      this.log('debug', `connection state ${connectionName(event.state)}`);
      if (event.state === ConnectionState.STATE_CONNECTED) this.#wasConnected = true;
      if (event.state === ConnectionState.STATE_FAILED) {
        this.log('error', `the peer connection FAILED: ${failureReason(this.#failureFacts())}`);
      }
    } else if (event.kind === 'gathering-state') {
      if (event.state === this.gathering) return;
      this.gathering = event.state;
    }
    this.emit(event);
  }

  /** (Re)starts the gate's timer, when the gate is closed. */
  #armGate(ms: number): void {
    if (this.#gate !== 'closed') return;
    clearTimeout(this.#gateTimer);
    this.#gateTimer = setTimeout(() => this.#openGate(), ms).unref();
  }

  #openGate(): void {
    if (this.#gate !== 'closed') return;
    this.#gate = 'open';
    clearTimeout(this.#gateTimer);
    this.#gateTimer = undefined;
    const gated = this.#gated;
    this.#gated = [];
    for (const event of gated) this.#applyLocalIce(event);
  }

  #onDataChannel(tc: TransportChannel): void {
    const channel = new CoreChannel(this.#host.newHandle(), this.handle, tc, this);
    this.#channels.add(channel);
    this.#host.addChannel(channel);
    this.emit({ kind: 'channel-received', pc: this.handle, ch: channel.handle, channel: channel.description });
    channel.syncOpen();
  }

  #applyRemoteCandidate(c: HeldCandidate): Status {
    let mid = c.mid;
    if (mid === '') {
      const byIndex = this.#remoteMids[c.index];
      if (byIndex === undefined) {
        return this.#fail(Status.INVALID_PARAMETER, `add_ice_candidate: the remote description has no m-line ${c.index}`);
      }
      mid = byIndex;
    } else if (!this.#remoteMids.includes(mid)) {
      return this.#fail(Status.INVALID_PARAMETER, `add_ice_candidate: the remote description has no m-line with mid ${JSON.stringify(mid)}`);
    }
    try {
      this.#transport?.addRemoteCandidate(c.line, mid);
    } catch (error) {
      return this.#fail(Status.INVALID_PARAMETER, `add_ice_candidate: ${(error as Error).message}`);
    }
    tally(this.#remoteTally, c.line);
    this.#armGate(OFFER_CANDIDATE_GATE_MS);
    return Status.OK;
  }

  #setSignaling(state: SignalingState): void {
    if (state === this.signaling) return;
    this.signaling = state;
    this.emit({ kind: 'signaling-state', pc: this.handle, state });
  }

  #failureFacts(): FailureFacts {
    return {
      relayOnly: this.#config.iceTransportPolicy === 'relay',
      turnServers: this.#config.iceServers.filter((s) => s.relay === 'udp').map((s) => `${s.scheme}:${s.hostname}:${s.port}`),
      local: this.#localTally,
      remote: this.#remoteTally,
      remoteDescription: this.#remoteApplied,
      iceConnected: this.#iceConnected,
      wasConnected: this.#wasConnected,
      problems: this.#problems,
    };
  }

  #fail(status: Status, message: string): Status {
    this.log('error', message);
    return status;
  }

  #refuse(status: Status, message: string): { status: Status } {
    this.log('error', message);
    return { status };
  }
}

function connectionName(state: ConnectionState): string {
  const entry = Object.entries(ConnectionState).find(([, v]) => v === state);
  return entry ? entry[0].replace('STATE_', '') : String(state);
}

function signalingName(state: SignalingState): string {
  const entry = Object.entries(SignalingState).find(([, v]) => v === state);
  return entry ? entry[0].replace('SIGNALING_STATE_', '') : String(state);
}
