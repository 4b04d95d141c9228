// Connection setup never stalls: 200 loopback pairs opened in batches of 20,
// every one open within 10 s of its create_offer, no signalling call refused.
import { afterEach, expect, it } from 'vitest';
import { openInBatches, percentile } from '../testing/setup-batches.js';
import { ndcTransport } from '../transport/ndc-transport.js';
import { Session } from './session.js';

let session: Session | undefined;
afterEach(() => session?.close());

it('200 loopback pairs in batches: none left unopened after 10 s', async () => {
  const errors: string[] = [];
  session = new Session({ transport: ndcTransport, logger: (level, message) => level === 'error' && errors.push(message) });
  const report = await openInBatches(session, 200, 20, 10_000);
  console.log(`200 pairs: setup p50 ${percentile(report.setupMs, 50).toFixed(0)} ms, p99 ${percentile(report.setupMs, 99).toFixed(0)} ms, over 500 ms: ${report.setupMs.filter((x) => x > 500).length}`);
  expect(report.signallingErrors).toEqual([]);
  expect({ hung: report.hung, failed: report.failed, opened: report.opened }).toEqual({ hung: 0, failed: 0, opened: 200 });
  expect(errors).toEqual([]);
}, 120_000);
