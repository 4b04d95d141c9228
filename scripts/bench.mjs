#!/usr/bin/env node
// `npm run bench`: builds each benchmark with esbuild and runs it, printing
// ratios measured in one run.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benches = [['core vs node-datachannel', join(root, 'scripts', 'bench', 'core-vs-ndc.ts')]];
if (process.env.BENCH_ONLY !== 'core') {
  benches.push(['bridge rings', join(root, 'scripts', 'bench-ring.mjs')]);
  benches.push(['C client through the worker', join(root, 'scripts', 'bench-bridge.mjs')]);
}

let failed = false;
for (const [name, entry] of benches) {
  let file = entry;
  if (entry.endsWith('.ts')) {
    file = join(root, 'build', 'bench', `${name.replace(/\W+/g, '-')}.mjs`);
    await build({ entryPoints: [entry], outfile: file, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['node-datachannel'], logLevel: 'warning' });
  }
  console.log(`\n## ${name}\n`);
  const run = spawnSync(process.execPath, [file], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
