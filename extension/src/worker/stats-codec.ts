// The stats answers' records (bridge/protocol/protocol.json, PEER_STATS and
// CHANNEL_STATS): written just before the REPLY of GET_PEER_STATS /
// GET_CHANNEL_STATS, carrying the same request id.
import {
  CandidateSummaryOffset,
  CandidateTransport,
  CandidateType,
  DtlsState,
  EVT_CHANNEL_STATS_SIZE,
  EVT_PEER_STATS_SIZE,
  EvtChannelStatsOffset,
  EvtPeerStatsOffset,
  IceState,
  MessageKind,
  PeerStatsFlag,
} from '../../../bridge/protocol/protocol.js';
import type { CandidateStats, ChannelStats, PeerStats } from '../core/peer-stats.js';
import type { TransportIceState } from '../transport/transport.js';
import { type OutRecord, byteLength } from './wire-codec.js';

const encoder = new TextEncoder();

const ICE: Record<TransportIceState, number> = {
  new: IceState.NEW,
  checking: IceState.CHECKING,
  connected: IceState.CONNECTED,
  completed: IceState.COMPLETED,
  disconnected: IceState.DISCONNECTED,
  failed: IceState.FAILED,
  closed: IceState.CLOSED,
};
const DTLS: Record<PeerStats['dtls'], number> = {
  new: DtlsState.NEW,
  connecting: DtlsState.CONNECTING,
  connected: DtlsState.CONNECTED,
  closed: DtlsState.CLOSED,
  failed: DtlsState.FAILED,
};
const TYPE: Record<CandidateStats['type'], number> = {
  unknown: CandidateType.UNKNOWN,
  host: CandidateType.HOST,
  srflx: CandidateType.SRFLX,
  prflx: CandidateType.PRFLX,
  relay: CandidateType.RELAY,
};
const TRANSPORT: Record<CandidateStats['transport'], number> = {
  unknown: CandidateTransport.UNKNOWN,
  udp: CandidateTransport.UDP,
  tcp: CandidateTransport.TCP,
};

/** An address longer than this is not an IP address: it is not sent (255, candidate_summary.address_length). */
const ADDRESS_MAX = 255;

function writeCandidate(view: DataView, at: number, c: CandidateStats | undefined, addressLength: number): void {
  view.setUint32(at + CandidateSummaryOffset.type, c ? TYPE[c.type] : 0, true);
  view.setUint32(at + CandidateSummaryOffset.transport, c ? TRANSPORT[c.transport] : 0, true);
  view.setUint32(at + CandidateSummaryOffset.port, c ? c.port : 0, true);
  view.setUint32(at + CandidateSummaryOffset.address_length, addressLength, true);
}

export function encodePeerStats(requestId: number, pc: number, s: PeerStats): OutRecord {
  const pair = s.selectedPair;
  const address = (c: CandidateStats | undefined) => (c && byteLength(c.address) <= ADDRESS_MAX ? c.address : '');
  const local = address(pair?.local);
  const remote = address(pair?.remote);
  const localLength = byteLength(local);
  const remoteLength = byteLength(remote);
  return {
    type: MessageKind.PEER_STATS,
    length: EVT_PEER_STATS_SIZE + localLength + remoteLength,
    write(bytes, view, o) {
      bytes.fill(0, o, o + EVT_PEER_STATS_SIZE);
      const u64 = (field: number, value: number) => view.setBigUint64(o + field, BigInt(Math.max(0, Math.trunc(value))), true);
      view.setUint32(o + EvtPeerStatsOffset.request_id, requestId, true);
      view.setUint32(o + EvtPeerStatsOffset.pc, pc, true);
      view.setUint32(o + EvtPeerStatsOffset.connection_state, s.connection, true);
      view.setUint32(o + EvtPeerStatsOffset.gathering_state, s.gathering, true);
      view.setUint32(o + EvtPeerStatsOffset.signaling_state, s.signaling, true);
      view.setUint32(o + EvtPeerStatsOffset.ice_state, ICE[s.ice], true);
      view.setUint32(o + EvtPeerStatsOffset.dtls_state, DTLS[s.dtls], true);
      view.setUint32(o + EvtPeerStatsOffset.flags, pair ? PeerStatsFlag.SELECTED_PAIR : 0, true);
      u64(EvtPeerStatsOffset.connected_ms, s.connectedMs);
      view.setUint32(o + EvtPeerStatsOffset.srtt_ms, Math.min(0xffffffff, Math.max(0, Math.trunc(s.srttMs))), true);
      u64(EvtPeerStatsOffset.bytes_sent, s.bytesSent);
      u64(EvtPeerStatsOffset.bytes_received, s.bytesReceived);
      u64(EvtPeerStatsOffset.packets_sent, s.packetsSent);
      u64(EvtPeerStatsOffset.packets_received, s.packetsReceived);
      writeCandidate(view, o + EvtPeerStatsOffset.local, pair?.local, localLength);
      writeCandidate(view, o + EvtPeerStatsOffset.remote, pair?.remote, remoteLength);
      const tail = o + EVT_PEER_STATS_SIZE;
      if (localLength > 0) encoder.encodeInto(local, bytes.subarray(tail, tail + localLength));
      if (remoteLength > 0) encoder.encodeInto(remote, bytes.subarray(tail + localLength, tail + localLength + remoteLength));
    },
  };
}

export function encodeChannelStats(requestId: number, ch: number, s: ChannelStats): OutRecord {
  return {
    type: MessageKind.CHANNEL_STATS,
    length: EVT_CHANNEL_STATS_SIZE,
    write(_bytes, view, o) {
      view.setUint32(o + EvtChannelStatsOffset.request_id, requestId, true);
      view.setUint32(o + EvtChannelStatsOffset.ch, ch, true);
      view.setBigUint64(o + EvtChannelStatsOffset.messages_sent, BigInt(s.messagesSent), true);
      view.setBigUint64(o + EvtChannelStatsOffset.bytes_sent, BigInt(s.bytesSent), true);
      view.setBigUint64(o + EvtChannelStatsOffset.messages_received, BigInt(s.messagesReceived), true);
      view.setBigUint64(o + EvtChannelStatsOffset.bytes_received, BigInt(s.bytesReceived), true);
    },
  };
}
