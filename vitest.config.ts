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
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Most suites wait on child processes (the built binary, the agent), not the CPU: four workers
    // on two cores take the suite from about 3 minutes to under 2.
    maxWorkers: 4,
    // Timeouts catch hangs, not slow machines: generous, so a loaded 2-core box still passes.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { NO_COLOR: '1', TWILIO_EDGE: '', TWILIO_REGION: '' },
  },
});
