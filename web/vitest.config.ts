import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

import mockingTests from './vitest.mocking.json';

/**
 * The test files that replace a module with vi.mock (vitest.mocking.json). They run in a project of
 * their own with each file isolated (vitest.mocked.config.ts): the other files share their worker's
 * modules, where a file that imported the real module first leaves it cached for the next one and the
 * mock never applies. The lint refuses vi.mock in any other test file.
 */
export const MOCKING_TESTS: string[] = mockingTests;

export default defineConfig({
  plugins: [vue()],
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
    exclude: MOCKING_TESTS,
    environment: 'happy-dom',
    // The files share a worker's modules rather than each loading its own: the 47 files take about 10 s
    // instead of 45.
    isolate: false,
    // Router tests load real pages, which Vite compiles on first use: on a busy two-core machine that
    // alone can pass the 5 s default.
    testTimeout: 30_000,
  },
});
