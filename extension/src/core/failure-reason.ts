// The one place that words why a peer connection FAILED. The core collects
// the facts (what ICE reached, which candidates each side had, what the
// stack's log showed) and logs this text once, as the connection reports
// STATE_FAILED (core-peer.ts). A dead worker is the C client's line
// (bridge/client/wc_client.c, wc_lost).
import type { TransportProblem } from '../transport/transport.js';

/** Candidates by type ('host', 'srflx', 'prflx', 'relay'), as counted from their lines. */
export type CandidateTally = Readonly<Record<string, number>>;

export interface FailureFacts {
  /** iceTransportPolicy "relay". */
  readonly relayOnly: boolean;
  /** The TURN servers the stack was given ("turn:host:port"), UDP only. */
  readonly turnServers: readonly string[];
  /** Local candidates the stack gathered. */
  readonly local: CandidateTally;
  /** Remote candidates applied: add_ice_candidate and the remote description's own. */
  readonly remote: CandidateTally;
  readonly remoteDescription: boolean;
  /** ICE reached connected or completed at some point. */
  readonly iceConnected: boolean;
  /** The connection was CONNECTED (DTLS and SCTP up) before it failed. */
  readonly wasConnected: boolean;
  readonly problems: readonly TransportProblem[];
}

/** The candidate type of one candidate line ("... typ host ..."), or 'unknown'. */
export function candidateType(line: string): string {
  return /\styp\s+(\S+)/.exec(line)?.[1]?.toLowerCase() ?? 'unknown';
}

export function tally(into: Record<string, number>, line: string): void {
  const type = candidateType(line);
  into[type] = (into[type] ?? 0) + 1;
}

function total(t: CandidateTally): number {
  return Object.values(t).reduce((a, b) => a + b, 0);
}

/** "3 (2 host, 1 srflx)", or "none". */
function describe(t: CandidateTally): string {
  const n = total(t);
  if (n === 0) return 'none';
  const parts = Object.entries(t).sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => `${count} ${type}`);
  return `${n} (${parts.join(', ')})`;
}

function has(f: FailureFacts, kind: TransportProblem['kind']): boolean {
  return f.problems.some((p) => p.kind === kind);
}

/** What the TURN servers gave, when they gave no relay candidate. */
function turnOutcome(f: FailureFacts): string {
  const servers = f.turnServers.length > 0 ? f.turnServers.join(', ') : 'none given';
  if (has(f, 'turn-unauthorized')) {
    return `the TURN server (${servers}) refused the username and credential (401 Unauthorized)`;
  }
  if (f.turnServers.length === 0) return 'no TURN server over UDP is configured';
  return `the TURN server (${servers}) gave no relay candidate: it did not answer or refused (check its URL, username and credential)`;
}

export function failureReason(f: FailureFacts): string {
  const relays = f.local.relay ?? 0;
  if (f.relayOnly && relays === 0) {
    return `with iceTransportPolicy "relay" no relay candidate was gathered: ${turnOutcome(f)}`;
  }
  if (f.iceConnected) {
    if (has(f, 'fingerprint-mismatch')) {
      return "the DTLS handshake failed: the remote's certificate does not match the fingerprint in its session description (was the SDP changed on its way?)";
    }
    if (f.wasConnected) {
      return 'the connection was lost: the remote stopped answering (it closed, crashed or left the network) and ICE consent expired';
    }
    return 'the DTLS handshake failed after ICE connected (the remote refused it or stopped answering)';
  }
  let reason = `no ICE candidate pair succeeded; local candidates tried: ${describe(f.local)}; remote candidates: ${describe(f.remote)}`;
  if (!f.remoteDescription) reason += '; no remote description was set';
  else if (total(f.remote) === 0) reason += '; no remote candidate arrived (forward ice_candidate_created to the other peer and pass each to add_ice_candidate)';
  if (f.turnServers.length > 0 && relays === 0) reason += `; ${turnOutcome(f)}`;
  return reason;
}
