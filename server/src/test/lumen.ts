import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';

import { startLumen, type RunningLumen } from '../app/lumen.js';
import type { ApiKeyRole } from '../auth/api-key.entity.js';
import { loadConfig, type Config, type DatabaseConfig } from '../config.js';
import { loggerOptions } from '../logger.js';
import type { TestDatabase } from './databases.js';

export interface GraphQLResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

/** A Lumen started on a free port for one test file, with a known admin key and a small client. */
export interface TestLumen {
  lumen: RunningLumen;
  url: string;
  adminKey: string;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResponse<T>>;
  /** Creates a key with the role and returns its secret. */
  createKey(role: ApiKeyRole): Promise<string>;
  stop(): Promise<void>;
  /** The server's structured log lines so far (info and above), for tests of what it logs. */
  logLines(): { level: number; msg: string; [key: string]: unknown }[];
}

/** Resolves once `condition` holds, checking every 25 ms; fails after `timeoutMs`. For conditions no event announces. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function testConfig(database: DatabaseConfig, overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  return {
    ...base,
    database,
    adminKey: `lmn_test_admin_${randomBytes(12).toString('hex')}`,
    // Tests send requests as fast as they can; the rate-limit tests set their own limits.
    rateLimits: { ingest: { perSecond: 0, burst: 1 }, read: { perSecond: 0, burst: 1 } },
    ...overrides,
  };
}

export async function startTestLumen(database: DatabaseConfig, overrides: Partial<Config> = {}): Promise<TestLumen> {
  const config = testConfig(database, overrides);
  const lines: { level: number; msg: string }[] = [];
  const log = pino(
    { ...loggerOptions({ logLevel: (process.env.TEST_LOG_LEVEL ?? 'info') as Config['logLevel'] }) },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as { level: number; msg: string });
        if (process.env.TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  );
  const lumen = await startLumen(config, log);
  // Lumen evaluates alert rules once as it starts; that run ends here, before a test writes, so the rules a
  // test creates are judged only by the evaluations it asks for (evaluateNow runs after the one under way).
  await lumen.services.alerts.engine.evaluateNow();
  const adminKey = config.adminKey!;
  const url = `http://127.0.0.1:${lumen.port}`;
  const gql: TestLumen['gql'] = async (query, variables, key = adminKey) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  return {
    lumen,
    url,
    adminKey,
    gql,
    async createKey(role) {
      const result = await gql<{ createApiKey: { key: string } }>(
        'mutation($name: String!, $role: ApiKeyRole!) { createApiKey(name: $name, role: $role) { key } }',
        { name: `test ${role}`, role },
      );
      if (!result.data) throw new Error(`createApiKey failed: ${JSON.stringify(result.errors)}`);
      return result.data.createApiKey.key;
    },
    stop: () => lumen.stop(),
    logLines: () => lines,
  };
}

/**
 * A Lumen on a fresh database for the enclosing describe block: started in a beforeAll, stopped and its
 * database dropped in an afterAll. The returned handle forwards to the running server, so a later
 * beforeAll of the same block (registered after this call) can seed it.
 */
export function useTestLumen(database: TestDatabase, overrides: Partial<Config> = {}): TestLumen {
  let running: TestLumen | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    running = await startTestLumen(created.config, overrides);
  });
  afterAll(async () => {
    await running?.stop();
    await drop?.();
  });
  return new Proxy({} as TestLumen, {
    get(_, property: keyof TestLumen) {
      if (!running) throw new Error(`the test Lumen is not started yet (read of ${String(property)} before beforeAll)`);
      const value = running[property];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(running) : value;
    },
  });
}
