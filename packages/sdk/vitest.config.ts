import { defineConfig } from 'vitest/config';

/** The SDK's tests: against the built server, started once (see src/test/global-setup.ts). */
export default defineConfig({
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['src/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
