// The twin's own test settings. Its tests import only the twin (../src) and public packages, and
// run without the product's set-up: `npm test -w @homephone/twin`, or as a project of the root run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'twin',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    // Files share a worker's modules (the twilio SDK, the twin) instead of re-importing them.
    isolate: false,
    // Timeouts catch hangs, not slow machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
