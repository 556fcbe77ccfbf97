import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

import server from './vitest.config.js';

/**
 * The fast tier (`pnpm test:fast`): the server's test files that start no Lumen and open no database —
 * validation, planning, pricing, conditions, decoding. They run in seconds, without PostgreSQL.
 * A test file joins by itself when it imports none of the helpers below; `pnpm test` runs it too.
 */
const NEEDS_SERVICES =
  /test\/(lumen|databases|ws-client|webhook-receiver|smtp-sink|alerts)\.js|app\/lumen\.js|@lumen\/testkit|db\/embedded|from 'pg'|ioredis|pglite|node:child_process/i;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const root = path.dirname(new URL(import.meta.url).pathname);
const fast = testFiles(path.join(root, 'src'))
  .filter((file) => !NEEDS_SERVICES.test(readFileSync(file, 'utf8')))
  .map((file) => path.relative(root, file));

export default defineConfig({ ...server, root, test: { ...server.test, name: 'server-fast', include: fast, globalSetup: [] } });
