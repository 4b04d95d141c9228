/**
 * C <-> TypeScript across two processes, driven from vitest: runs the sanitized stress
 * program (bridge/ring/tests/stress.c, the C side) which starts the TypeScript side
 * (stress-child.ts) exactly as `make -C bridge test` does, with fewer records.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_BUILD_DIR, RING_BUILD_DIR, ensureBridgeBuilt } from './build.test-setup.js';

beforeAll(() => {
  ensureBridgeBuilt();
});

describe('C and TypeScript over shared memory', () => {
  it('carries 50,000 records each way, in order and intact, and detects flipped bytes', () => {
    const result = spawnSync(
      join(RING_BUILD_DIR, 'stress'),
      ['--records', '50000', '--child', join(NODE_BUILD_DIR, 'stress-child.mjs'), '--node', process.execPath],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(result.stdout).toMatch(/^5 passed, 0 failed$/m);
  });
});
