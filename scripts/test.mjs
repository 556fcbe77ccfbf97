#!/usr/bin/env node
/**
 * `pnpm test`: every suite (server unit and integration on PGlite and PostgreSQL, web components, demo traffic,
 * the SDK against the started server, browser tests in Chromium), then one line `N passed, N failed`
 * over all of them.
 * Arguments are passed to vitest (for example a file filter).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildIfStale } from './build-if-stale.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const report = path.join(root, 'test-results', 'vitest.json');

// The browser and SDK tests run the built server and web app, as `pnpm start` does (and the SDK's build).
buildIfStale();

// Every project vitest.config.ts lists; the browser tests only where Chromium is.
const projectFilter = [];
if (!existsSync(chromium)) {
  projectFilter.push('--project=!e2e');
  console.warn(
    `\n  Chromium was not found at ${chromium}: the browser tests were NOT run.\n` +
      '  Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.\n',
  );
}

mkdirSync(path.dirname(report), { recursive: true });
rmSync(report, { force: true });
const vitest = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    ...projectFilter,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  // A file that fails before its tests run (an import error, a failing hook) counts as a failure too.
  const brokenFiles = results.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed'),
  ).length;
  failed = results.numFailedTests + brokenFiles;
} catch {
  failed = Math.max(failed, 1);
}
if (vitest.status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);
