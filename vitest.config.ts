import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** `pnpm test` runs these projects (scripts/test.mjs leaves the browser tests out where Chromium is missing) and prints the summary. */
export default defineConfig({
  test: {
    // Vitest's default is one file at a time on two cores (one fewer than the cores); the server's files
    // spend much of their time waiting on sockets, PostgreSQL and timers, and two at a time take about a
    // third less. The browser tests keep to one file at a time (web/vitest.e2e.config.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      'server/vitest.config.ts',
      'web/vitest.config.ts',
      'web/vitest.mocked.config.ts',
      'packages/demo/vitest.config.ts',
      'web/vitest.e2e.config.ts',
      'packages/sdk/vitest.config.ts',
    ],
  },
});
