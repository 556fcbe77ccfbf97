import { defineConfig } from 'vitest/config';

import web, { MOCKING_TESTS } from './vitest.config';

/** The web tests that replace a module with vi.mock, each file isolated (see MOCKING_TESTS). */
export default defineConfig({ ...web, test: { ...web.test, name: 'web-mocked', include: MOCKING_TESTS, exclude: [], isolate: true } });
