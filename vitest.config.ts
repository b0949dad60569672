import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the twin from its source, so a change there needs no rebuild to be tested; the
    // built binary (smoke tests) uses the package's dist like any user.
    alias: [
      { find: /^@homephone\/twin$/, replacement: fileURLToPath(new URL('./packages/twin/src/index.ts', import.meta.url)) },
      { find: /^@homephone\/twin\/address$/, replacement: fileURLToPath(new URL('./packages/twin/src/address.ts', import.meta.url)) },
    ],
  },
  test: {
    // The product's tests and the twin's in one run, so that they share workers and the modules
    // loaded in them (two projects never share a worker: the twin's files paid their own worker
    // start-ups, imports and transforms, a few seconds of CPU). The twin's files still load nothing of the product: they import only the twin
    // and public packages, and the set-up they run uses Node built-ins only. The twin's own
    // settings (packages/twin/vitest.config.ts) are for `npm test -w @homephone/twin`.
    include: ['test/**/*.test.ts', 'packages/twin/test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // The run's temp folder in memory where there is one (fsync is most of a config save's time).
    globalSetup: ['test/global-setup.ts'],
    // Four workers on two cores: the suites mix CPU (in-process commands, the twin) with waiting
    // (the agent, smoke tests through the binary).
    maxWorkers: 4,
    // Test files share a worker's loaded modules instead of re-importing the twilio SDK, the twin
    // and the CLI for each file: about a third less CPU. Safe because commands keep no
    // process-wide state (each run gets its own Io) and tests restore what they spy on.
    isolate: false,
    // Timeouts catch hangs, not slow machines: generous, so a loaded 2-core box still passes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { NO_COLOR: '1', TWILIO_EDGE: '', TWILIO_REGION: '' },
  },
});
