/**
 * Builds what the bridge's TypeScript tests need (the shm.node addon, the Node bundles, the
 * sanitized stress binary, and for the conformance rows the C client's test binding and the
 * worker bundle) with `make -C bridge for-vitest`. Use it as a vitest
 * globalSetup (`globalSetup: ['bridge/node/build.test-setup.ts']`); tests that need the
 * build also call ensureBridgeBuilt() in beforeAll, which is a no-op once it is up to date
 * and is serialized with flock(1) so parallel test files never build at the same time. A
 * failed build throws with make's output: the tests fail, they are never skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BRIDGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const NODE_BUILD_DIR = join(BRIDGE_DIR, 'node', 'build');
export const RING_BUILD_DIR = join(BRIDGE_DIR, 'ring', 'build');
export const SHM_ADDON_PATH = join(NODE_BUILD_DIR, 'shm.node');

export function ensureBridgeBuilt(): void {
  const make = ['make', '-s', '-C', BRIDGE_DIR, 'for-vitest', `NODE=${process.execPath}`];
  const command = existsSync('/usr/bin/flock') ? ['/usr/bin/flock', join(tmpdir(), 'godot-webrtc-bridge-build.lock'), ...make] : make;
  const [program, ...args] = command;
  const result = spawnSync(program ?? 'make', args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `bridge build failed (${command.join(' ')}): ${result.error?.message ?? `exit ${result.status}`}\n${result.stdout}${result.stderr}`,
    );
  }
}

export function setup(): void {
  ensureBridgeBuilt();
}
