#!/usr/bin/env node
// Runs vitest once and turns its JSON report into the suite's
// "N passed, N failed, N skipped" line (skipped is never counted as passed).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const report = 'build/vitest.json';
rmSync(report, { force: true });
const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
let result;
try {
  result = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.log(`vitest: no report (exit ${run.status})`);
  process.exit(1);
}
const skipped = result.numPendingTests + result.numTodoTests;
// A file that fails to load, or whose suite hook throws (its tests then report skipped or
// nothing), has no failed test to count: count it as one failure.
const brokenFiles = result.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed')).length;
const failed = result.numFailedTests + brokenFiles;
console.log(`vitest: ${result.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && run.status === 0 ? 0 : 1);
