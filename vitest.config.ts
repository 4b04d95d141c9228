import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['extension/**/*.test.ts', 'bridge/**/*.test.ts', 'signaling/**/*.test.ts'],
    // Builds the shared-memory addon once before any test needs it.
    globalSetup: ['bridge/node/build.test-setup.ts'],
    // Loopback WebRTC tests open real sockets; two cores are shared by all of them.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
