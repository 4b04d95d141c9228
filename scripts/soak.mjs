#!/usr/bin/env node
// `node scripts/soak.mjs [pairs=1000] [batch=20]`: the setup soak (see
// scripts/bench/setup-soak.ts), built with esbuild and run.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'bench', 'setup-soak.mjs');
await build({ entryPoints: [join(root, 'scripts', 'bench', 'setup-soak.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['node-datachannel'], logLevel: 'warning' });
const run = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
