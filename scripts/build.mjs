#!/usr/bin/env node
// Builds what the addon ships from this repository: the worker, as flat files in
// build/worker/ (worker.mjs, shm.node, node_datachannel.node). node-datachannel's
// JavaScript is bundled; its native binary is loaded from beside the bundle
// (extension/src/worker/native-binding.ts replaces the package's own loader).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeDatachannelPlatformPackage } from './lib/platform.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WORKER_DIR = join(root, 'build', 'worker');

// node-datachannel's loader module, imported as './node-datachannel.mjs' by its lib/.
const nativeLoader = {
  name: 'node-datachannel-native-binding',
  setup(b) {
    b.onResolve({ filter: /^\.\/node-datachannel\.mjs$/ }, (args) =>
      args.importer.includes(`${join('node-datachannel', 'dist')}`)
        ? { path: join(root, 'extension', 'src', 'worker', 'native-binding.ts') }
        : undefined);
  },
};

export async function buildWorker() {
  const outfile = join(WORKER_DIR, 'worker.mjs');
  await build({
    entryPoints: [join(root, 'extension', 'src', 'worker', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [nativeLoader],
    sourcemap: true,
    logLevel: 'warning',
  });
  mkdirSync(WORKER_DIR, { recursive: true });
  const binary = join(root, 'node_modules', nodeDatachannelPlatformPackage(), 'node_datachannel.node');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run npm ci`);
  copyFileSync(binary, join(WORKER_DIR, 'node_datachannel.node'));
  // The worker loads its shared-memory addon from beside itself (bridge/node/shm.ts).
  const addon = join(root, 'bridge', 'node', 'build', 'shm.node');
  if (existsSync(addon)) copyFileSync(addon, join(WORKER_DIR, 'shm.node'));
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const worker = await buildWorker();
  console.log(`built ${worker}`);
}
