import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql loads graphql's CommonJS build; Vite would otherwise resolve the ESM one, and the two
    // copies refuse each other's types ("Cannot use GraphQLObjectType from another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql/index.js') }],
  },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test/global-setup.ts'],
    setupFiles: ['reflect-metadata'],
    pool: 'forks',
    // A worker's files share its loaded modules rather than each loading the server anew: the loading
    // took most of the project's time (its 87 files spent about 240 s in tests and 440 s more starting).
    // Every file starts its own Lumen on its own database, and none replaces a module (vi.mock), which
    // would not apply to modules another file loaded first.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
