import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
    environment: 'happy-dom',
    // Router tests load real pages, which Vite compiles on first use: on a busy two-core machine that
    // alone can pass the 5 s default.
    testTimeout: 30_000,
  },
});
