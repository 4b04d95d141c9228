// An unreliable channel ({ordered: false, maxRetransmits: 0}) really is
// unreliable end to end: on a lossy link the reliable channel beside it
// delivers everything in order, and it does not. The link is the loopback of
// a private network namespace this test creates (unshare --net, needs root)
// with a tbf rate limit that drops what overflows its queue. Without root it
// is reported as skipped, with the reason in its name.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { namespaceSkipReason, titled } from '../testing/privileges.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SKIP = namespaceSkipReason();

it.skipIf(SKIP !== undefined)(titled('an unreliable channel loses packets on a lossy link while a reliable one loses none', SKIP), async () => {
  const child = join(root, 'build', 'test', 'lossy-link-child.mjs');
  await build({
    entryPoints: [join(root, 'extension', 'src', 'testing', 'lossy-link-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['node-datachannel'],
    logLevel: 'warning',
  });
  const shaping = 'ip link set lo up && tc qdisc add dev lo root tbf rate 4mbit burst 8kb latency 5ms';
  const run = spawnSync('unshare', ['--net', 'sh', '-c', `${shaping} && exec "${process.execPath}" "${child}"`], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  if (run.error || run.status !== 0) {
    throw new Error(`the lossy-link child failed (this test needs root for unshare --net and tc): ${run.error?.message ?? ''} status ${run.status}\n${run.stderr}`);
  }
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { count: number; reliable: number; unreliable: number; reliableInOrder: boolean };
  expect(result.reliable).toBe(result.count);
  expect(result.reliableInOrder).toBe(true);
  expect(result.unreliable).toBeGreaterThan(0);
  expect(result.unreliable).toBeLessThan(result.count);
}, 120_000);
