// What get_stats() reports, as the core knows it: the stack's own counters,
// states and RTT (TransportPeer.stats), the Godot states the script sees, and
// the messages the core itself handed over. Nothing here is estimated: a value
// the stack does not give is either derived by a rule written below or left
// out (0 / {}), and docs/semantics.md says which is which.
import { ConnectionState, type GatheringState, type SignalingState } from '../godot/enums.generated.js';
import type { TransportCandidate, TransportIceState, TransportPeerState, TransportPeerStats } from '../transport/transport.js';

export type DtlsState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay' | 'unknown';
export type CandidateTransport = 'udp' | 'tcp' | 'unknown';

export interface CandidateStats {
  readonly type: CandidateType;
  readonly transport: CandidateTransport;
  readonly address: string;
  readonly port: number;
}

export interface PeerStats {
  readonly connection: ConnectionState;
  readonly gathering: GatheringState;
  readonly signaling: SignalingState;
  readonly ice: TransportIceState;
  readonly dtls: DtlsState;
  /** ms since the connection state became CONNECTED; 0 when it is not CONNECTED. */
  readonly connectedMs: number;
  /**
   * SCTP's smoothed round-trip time in whole ms (usrsctp's SRTT, RFC 4960
   * section 6.3.1, measured from DATA to its SACK); 0 when the stack has no
   * measurement. libdatachannel exposes no single current sample.
   */
  readonly srttMs: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly selectedPair: { readonly local: CandidateStats; readonly remote: CandidateStats } | undefined;
}

export interface ChannelStats {
  readonly messagesSent: number;
  readonly bytesSent: number;
  readonly messagesReceived: number;
  readonly bytesReceived: number;
}

/**
 * libdatachannel has no DTLS state of its own to report, so it is derived
 * from the two states it does report:
 * - connection closed: 'closed'; failed: 'failed' (the stack does not say
 *   which layer failed);
 * - connection connected or disconnected: 'connected' (libdatachannel reports
 *   connected only once DTLS, and SCTP over it, are up; disconnected means
 *   ICE lost its path, the DTLS session is kept);
 * - ICE connected or completed while the connection is still connecting:
 *   'connecting' (the handshake runs over the ICE path);
 * - otherwise 'new'.
 */
export function dtlsState(connection: TransportPeerState, ice: TransportIceState): DtlsState {
  switch (connection) {
    case 'closed':
      return 'closed';
    case 'failed':
      return 'failed';
    case 'connected':
    case 'disconnected':
      return 'connected';
    default:
      return ice === 'connected' || ice === 'completed' ? 'connecting' : 'new';
  }
}

const CANDIDATE_TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];

/** The stack's candidate, with its type and transport in the names get_stats() uses. */
export function candidateStats(c: TransportCandidate): CandidateStats {
  const type = CANDIDATE_TYPES.find((t) => t === c.type) ?? 'unknown';
  const name = c.transport.toUpperCase();
  const transport: CandidateTransport = name === 'UDP' ? 'udp' : name.startsWith('TCP') ? 'tcp' : 'unknown';
  return { type, transport, address: c.address, port: c.port };
}

export interface PeerStatsInput {
  readonly connection: ConnectionState;
  readonly gathering: GatheringState;
  readonly signaling: SignalingState;
  readonly closed: boolean;
  /** The stack's peer now; undefined before initialize() or once closed. */
  readonly live: TransportPeerStats | undefined;
  /** The stack's numbers when its peer was last closed. */
  readonly last: TransportPeerStats | undefined;
  /** performance.now() when the connection state became CONNECTED. */
  readonly connectedAt: number | undefined;
  readonly packetsSent: number;
  readonly packetsReceived: number;
}

/**
 * Without a stack peer (a new peer, or one closed) ICE and DTLS are 'new' or
 * 'closed', there is no RTT and no pair, and the byte counters keep the
 * stack's last numbers.
 */
export function peerStats(p: PeerStatsInput): PeerStats {
  const stack = p.live ?? p.last;
  const idle = p.closed ? 'closed' : 'new';
  const pair = p.live?.selectedPair;
  return {
    connection: p.connection,
    gathering: p.gathering,
    signaling: p.signaling,
    ice: p.live ? p.live.iceState : idle,
    dtls: p.live ? dtlsState(p.live.state, p.live.iceState) : idle,
    connectedMs: p.connection === ConnectionState.STATE_CONNECTED && p.connectedAt !== undefined ? Math.max(0, Math.round(performance.now() - p.connectedAt)) : 0,
    srttMs: p.live?.srttMs ?? 0,
    bytesSent: stack?.bytesSent ?? 0,
    bytesReceived: stack?.bytesReceived ?? 0,
    packetsSent: p.packetsSent,
    packetsReceived: p.packetsReceived,
    selectedPair: pair ? { local: candidateStats(pair.local), remote: candidateStats(pair.remote) } : undefined,
  };
}
