import { defineConfig } from 'vitest/config';

/** `pnpm test` runs these projects; scripts/test.mjs chooses which and prints the summary. */
export default defineConfig({
  test: {
    projects: [
      'server/vitest.config.ts',
      'web/vitest.config.ts',
      'packages/demo/vitest.config.ts',
      'web/vitest.e2e.config.ts',
      'packages/sdk/vitest.config.ts',
    ],
  },
});
