import { availableParallelism } from 'node:os';
import swc from 'unplugin-swc';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run every package from source through the `source` export condition; no build needed
// except for e2e, whose replicas are real processes started from the build.
const conditions = ['source', ...defaultServerConditions];
// Replica processes and databases are heavy: TEST_WORKERS caps the parallel test files.
const maxWorkers = Number(process.env.TEST_WORKERS) || availableParallelism();
const TIMED_TESTS = 'test/e2e/{stream-faults,stream-outages,redis-outage,login-storm,till-presence}.e2e.test.ts';

export default defineConfig({
  // SWC compiles decorators with metadata, which Nest's dependency injection needs.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  // The environment Vitest runs global setup files in.
  environments: { __vitest__: { resolve: { conditions, externalConditions: conditions } } },
  test: {
    globals: true,
    maxWorkers,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'] } },
      {
        extends: true,
        test: { name: 'medium', include: ['test/medium/**/*.medium.test.ts'], globalSetup: ['test/setup/services.global.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          exclude: [TIMED_TESTS],
          globalSetup: ['test/setup/build.global.ts', 'test/setup/services.global.ts'],
        },
      },
      {
        // Part of the e2e tier. These are timed (resumed within 10 s, delivered within 5 s, answered
        // within a second while Redis is down, latency at most 2x under a login storm): they run
        // last, one file at a time, so no other test shares the machine with them.
        extends: true,
        test: {
          name: 'e2e-timed',
          include: [TIMED_TESTS],
          globalSetup: ['test/setup/build.global.ts', 'test/setup/services.global.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
    ],
  },
});
