import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // CLI tests spawn the built binary; give slow CI machines room without hiding hangs.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { NO_COLOR: '1', TWILIO_EDGE: '', TWILIO_REGION: '' },
  },
});
