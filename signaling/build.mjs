#!/usr/bin/env node
// Bundles the signalling server (signaling/src/, TypeScript, ws inside) into one file,
// build/signaling/server.mjs, that runs on Node.js 20+ with nothing beside it:
//   node build/signaling/server.mjs --port 9080
// ws's optional native helpers (bufferutil, utf-8-validate) stay out: ws works without them.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SIGNALING_BUNDLE = join(root, 'build', 'signaling', 'server.mjs');

export async function buildSignalingServer() {
  const result = await build({
    entryPoints: [join(root, 'signaling', 'src', 'entry.ts')],
    outfile: SIGNALING_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['bufferutil', 'utf-8-validate'],
    // ws is CommonJS: give its require() calls one to use inside the ES module.
    banner: { js: "import { createRequire as __signalingRequire } from 'node:module'; const require = __signalingRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  // Written aside and renamed, so a server starting meanwhile never reads half a file.
  mkdirSync(dirname(SIGNALING_BUNDLE), { recursive: true });
  for (const file of result.outputFiles) {
    const aside = `${file.path}.${process.pid}.tmp`;
    writeFileSync(aside, file.contents);
    renameSync(aside, file.path);
  }
  return SIGNALING_BUNDLE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${await buildSignalingServer()}`);
}
