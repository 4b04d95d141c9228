import { defineConfig } from 'vitest/config';

// One run, one JSON report (scripts/lib/vitest-summary.mjs), two projects:
//   core     the product's tests, beside it (extension/, bridge/, signaling/)
//   interop  system tests against other software (tests/interop/: Chromium,
//            Firefox ESR, Godot 3, coturn, hosts in network namespaces). The
//            Firefox files move their process into a private network
//            namespace (tests/interop/private-net.ts): they rely on each test
//            file having a process of its own (the forks pool isolates files)
// `npx vitest run tests/interop` (or `--project interop`) runs only the second.
// tests/signaling/ and tests/export/ have runners of their own.
export default defineConfig({
  test: {
    // Builds the shared-memory addon once before any test needs it.
    globalSetup: ['bridge/node/build.test-setup.ts'],
    // Loopback WebRTC tests open real sockets; two cores are shared by all of them.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'core', include: ['extension/**/*.test.ts', 'bridge/**/*.test.ts', 'signaling/**/*.test.ts'] },
      },
      { extends: true, test: { name: 'interop', include: ['tests/interop/**/*.test.ts'] } },
    ],
  },
});
