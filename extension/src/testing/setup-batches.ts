// Opens many loopback pairs in batches and measures each pair's setup time
// (create_offer → both channel ends OPEN). Shared by the 200-pair test and
// the 1,000-pair soak script.
import type { DataChannel } from '../api/data-channel.js';
import type { PeerConnection } from '../api/peer-connection.js';
import type { Session } from '../api/session.js';
import { ChannelState, ConnectionState } from '../godot/enums.generated.js';
import { LOOPBACK, wire } from './loopback.js';

export interface SetupReport {
  readonly total: number;
  readonly opened: number;
  /** Pairs that ended FAILED (a clear outcome, not a hang). */
  readonly failed: number;
  /** Pairs neither open nor failed at their deadline. */
  readonly hung: number;
  /** Setup time of each opened pair, ms. */
  readonly setupMs: readonly number[];
  /** Signalling calls that did not return OK, with the remote's state. */
  readonly signallingErrors: readonly string[];
}

interface Attempt {
  readonly a: PeerConnection;
  readonly b: PeerConnection;
  readonly channel: DataChannel;
  remote: DataChannel | null;
  readonly started: number;
  done?: 'open' | 'failed' | 'hung';
  ms?: number;
}

const isOpen = (t: Attempt) => t.channel.getReadyState() === ChannelState.STATE_OPEN && t.remote?.getReadyState() === ChannelState.STATE_OPEN;
const isFailed = (t: Attempt) => [t.a, t.b].some((pc) => pc.getConnectionState() === ConnectionState.STATE_FAILED);

export async function openInBatches(session: Session, total: number, batch: number, deadlineMs: number, onBatch?: (done: number) => void): Promise<SetupReport> {
  const setupMs: number[] = [];
  const signallingErrors: string[] = [];
  let failed = 0;
  let hung = 0;
  for (let start = 0; start < total; start += batch) {
    const attempts: Attempt[] = [];
    for (let i = start; i < Math.min(total, start + batch); i++) {
      const a = session.createPeerConnection();
      const b = session.createPeerConnection();
      a.initialize(LOOPBACK);
      b.initialize(LOOPBACK);
      const channel = a.createDataChannel(`pair-${i}`)!;
      const attempt: Attempt = { a, b, channel, remote: null, started: performance.now() };
      b.connect('data_channel_received', (ch) => (attempt.remote = ch));
      wire(a, b, (error, what) => {
        if (error !== 0) signallingErrors.push(`${what} → ${error}`);
      });
      a.createOffer();
      attempts.push(attempt);
    }
    while (attempts.some((t) => !t.done)) {
      const now = performance.now();
      for (const t of attempts) {
        if (t.done) continue;
        t.a.poll();
        t.b.poll();
        if (isOpen(t)) {
          t.done = 'open';
          t.ms = now - t.started;
        } else if (isFailed(t)) {
          t.done = 'failed';
        } else if (now - t.started > deadlineMs) {
          t.done = 'hung';
        }
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    for (const t of attempts) {
      if (t.done === 'open') setupMs.push(t.ms!);
      else if (t.done === 'failed') failed++;
      else hung++;
      t.a.dispose();
      t.b.dispose();
    }
    onBatch?.(Math.min(total, start + batch));
  }
  return { total, opened: setupMs.length, failed, hung, setupMs, signallingErrors };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}
