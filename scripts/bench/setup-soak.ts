// Soak: opens N loopback pairs (default 1,000) in batches through the core and
// prints how many opened, failed or hung, and the setup-time p50/p99/max.
import { Session } from '../../extension/src/api/session.js';
import { openInBatches, percentile } from '../../extension/src/testing/setup-batches.js';
import { ndcTransport } from '../../extension/src/transport/ndc-transport.js';

const total = Number(process.argv[2] ?? 1000);
const batch = Number(process.argv[3] ?? 20);
const session = new Session({ transport: ndcTransport, logger: (level, message) => level === 'error' && process.stderr.write(`ERROR: ${message}\n`) });
const t0 = performance.now();
const report = await openInBatches(session, total, batch, 10_000, (done) => {
  if (done % 100 === 0) process.stderr.write(`${done}/${total}\n`);
});
const ms = report.setupMs;
console.log(`pairs: ${report.total} in batches of ${batch}; opened ${report.opened}, failed ${report.failed}, hung ${report.hung} (in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
console.log(`setup ms: p50 ${percentile(ms, 50).toFixed(1)}, p99 ${percentile(ms, 99).toFixed(1)}, max ${Math.max(...ms).toFixed(1)}; over 500 ms: ${ms.filter((x) => x > 500).length}`);
if (report.signallingErrors.length > 0) console.log(`signalling errors: ${report.signallingErrors.length}, e.g. ${report.signallingErrors.slice(0, 3).join('; ')}`);
session.close();
setTimeout(() => process.exit(report.opened === report.total ? 0 : 1), 100);
