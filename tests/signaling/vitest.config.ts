// The engine tests of the signalling server and the addon's GDScript clients: real headless
// Godot processes meeting in a lobby. Run by scripts/run-signaling-tests.sh (which assembles
// the addon and the project copy they run in first); not part of the root vitest run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/signaling/**/*.test.ts'],
    // One engine test at a time: each starts five Godot processes and their workers.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
