// One lint configuration for the whole workspace; formatting is Prettier's (eslint-config-prettier turns
// off every rule that would disagree with it).
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The web test files that mock a module, which run isolated (web/vitest.config.ts).
const MOCKING_TESTS = JSON.parse(readFileSync(new URL('./web/vitest.mocking.json', import.meta.url), 'utf8'));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      'test-results/**',
      'bench/results/**',
      'web/src/graphql/generated/**',
      'packages/contract/src/schema-types.ts',
      '**/.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Unused names are mistakes, except a leading underscore, which says "deliberately unused".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
      // Single-word names are the domain's own (Logs, Costs, Alerts) and routes make them unique.
      'vue/multi-word-component-names': 'off',
      // Typed props without a default are undefined, which is what an optional prop means.
      'vue/require-default-prop': 'off',
      // Empty interfaces are the slots that features fill by module augmentation (topics, context).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
    },
  },
  {
    files: ['web/src/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Command-line entry points print to their terminal on purpose.
    files: [
      'scripts/**',
      'bench/**',
      'packages/demo/**',
      'server/src/main.ts',
      'server/src/logger.ts',
      'server/src/app/*.ts',
      'examples/**',
      '**/*.test.ts',
      '**/*.e2e.ts',
      'web/e2e/**',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    // Test files of the server and the web app share their worker's modules (isolate: false in their
    // vitest configs), where a module mock would not apply to a module another file loaded first. The web
    // files that mock run isolated in a project of their own (web/vitest.mocking.json).
    files: ['server/src/**/*.test.ts', 'web/src/**/*.test.ts'],
    ignores: MOCKING_TESTS.map((file) => `web/${file}`),
    rules: {
      'no-restricted-properties': [
        'error',
        ...['mock', 'doMock'].map((property) => ({
          object: 'vi',
          property,
          message: "Test files share their worker's modules; a web file that mocks a module is listed in web/vitest.mocking.json.",
        })),
      ],
    },
  },
  prettier,
);
