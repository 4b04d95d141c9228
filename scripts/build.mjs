#!/usr/bin/env node
// Builds what the addon ships from this repository: the worker bundle
// (node-datachannel stays external: it is a native addon).
import { build } from 'esbuild';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildWorker() {
  const outfile = join(root, 'build', 'worker', 'worker.mjs');
  await build({
    entryPoints: [join(root, 'extension', 'src', 'worker', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['node-datachannel'],
    sourcemap: true,
    logLevel: 'warning',
  });
  // The worker loads its shared-memory addon from beside itself (bridge/node/shm.ts).
  const addon = join(root, 'bridge', 'node', 'build', 'shm.node');
  if (existsSync(addon)) copyFileSync(addon, join(dirname(outfile), 'shm.node'));
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const worker = await buildWorker();
  console.log(`built ${worker}`);
}
