#!/usr/bin/env node
// `npm run bench`: builds each benchmark with esbuild and runs it, printing
// ratios measured in one run. The last section goes through a real Godot
// (scripts/bench/godot.mjs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_ONLY=core or BENCH_ONLY=godot runs that section alone.
const only = ['core', 'godot'].includes(process.env.BENCH_ONLY ?? '') ? process.env.BENCH_ONLY : undefined;
const benches = [];
if (only !== 'godot') benches.push(['core vs node-datachannel', join(root, 'scripts', 'bench', 'core-vs-ndc.ts')]);
if (only === undefined) {
  benches.push(['bridge rings', join(root, 'scripts', 'bench-ring.mjs')]);
  benches.push(['C client through the worker', join(root, 'scripts', 'bench-bridge.mjs')]);
}
if (only !== 'core') benches.push(['Godot through the addon', join(root, 'scripts', 'bench', 'godot.mjs')]);

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
