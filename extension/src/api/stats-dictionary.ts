// get_stats() as GDScript sees it: the Dictionary keys and value names the
// C client builds too (bridge/client/wc_stats.c), so both engines and this
// facade answer alike. README.md, "Connection stats", documents every key.
import type { CandidateStats, ChannelStats, PeerStats } from '../core/peer-stats.js';
import { ChannelState, ConnectionState, GatheringState, SignalingState } from '../godot/enums.generated.js';

export type StatsDictionary = Record<string, unknown>;

/** An engine enum value's name without its prefix, lower-case: STATE_CONNECTED -> "connected". */
function enumName(values: Record<string, number>, prefix: string, value: number): string {
  const entry = Object.entries(values).find(([, v]) => v === value);
  return entry ? entry[0].slice(prefix.length).toLowerCase() : 'unknown';
}

export const connectionStateName = (s: number): string => enumName(ConnectionState, 'STATE_', s);
export const gatheringStateName = (s: number): string => enumName(GatheringState, 'GATHERING_STATE_', s);
export const signalingStateName = (s: number): string => enumName(SignalingState, 'SIGNALING_STATE_', s);
export const channelStateName = (s: number): string => enumName(ChannelState, 'STATE_', s);

function candidate(c: CandidateStats): StatsDictionary {
  return { type: c.type, address: c.address, port: c.port, transport: c.transport };
}

/**
 * The three Godot states are the ones the script's getters return (`states`),
 * which differ from the core's only between a close() and its echo.
 */
export function peerStatsDictionary(
  s: PeerStats,
  states: { connection: number; gathering: number; signaling: number },
): StatsDictionary {
  return {
    connection_state: connectionStateName(states.connection),
    ice_state: s.ice,
    dtls_state: s.dtls,
    gathering_state: gatheringStateName(states.gathering),
    signaling_state: signalingStateName(states.signaling),
    connected_msec: s.connectedMs,
    rtt_msec: s.srttMs,
    rtt_smoothed_msec: s.srttMs,
    bytes_sent: s.bytesSent,
    bytes_received: s.bytesReceived,
    packets_sent: s.packetsSent,
    packets_received: s.packetsReceived,
    selected_pair: s.selectedPair ? { local: candidate(s.selectedPair.local), remote: candidate(s.selectedPair.remote) } : {},
  };
}

export function channelStatsDictionary(
  s: ChannelStats,
  channel: { label: string; id: number; readyState: number; bufferedAmount: number; droppedPackets: number },
): StatsDictionary {
  return {
    label: channel.label,
    id: channel.id,
    ready_state: channelStateName(channel.readyState),
    messages_sent: s.messagesSent,
    bytes_sent: s.bytesSent,
    messages_received: s.messagesReceived,
    bytes_received: s.bytesReceived,
    buffered_amount: channel.bufferedAmount,
    dropped_packets: channel.droppedPackets,
  };
}
