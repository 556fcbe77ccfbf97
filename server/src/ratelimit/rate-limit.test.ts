import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { Config } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput } from '../test/factories.js';
import { startTestLumen, useTestLumen, type TestLumen } from '../test/lumen.js';
import { wsClient, wsQuery } from '../test/ws-client.js';

const tight: Partial<Config> = {
  rateLimits: { ingest: { perSecond: 0.001, burst: 2 }, read: { perSecond: 0.001, burst: 3 } },
};
const VIEWER = '{ viewer { role } }';

describe('rate limits per API key', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, tight);
  // Keys are made through the service, so that making them spends no one's budget.
  const newKey = async (role: ApiKeyRole) => (await sut.lumen.services.apiKeys.create(`rate ${role}`, role)).key;

  it('answers a flood of reads with 429 RATE_LIMITED and Retry-After, and keeps other keys and ingestion apart', async () => {
    const key = await newKey(ApiKeyRole.ADMIN);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await sut.gql(VIEWER, {}, key)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('RATE_LIMITED');

    expect((await sut.gql(INGEST_LOGS, { logs: [logInput()] }, key)).status).toBe(200);
    const other = await newKey(ApiKeyRole.READ);
    expect((await sut.gql(VIEWER, {}, other)).status).toBe(200);
    expect((await fetch(`${sut.url}/healthz`)).status).toBe(200);
  });

  it('weighs ingestion by the logs a request carries, not by requests', async () => {
    const created = await database!.create();
    const limited = await startTestLumen(created.config, {
      rateLimits: { ingest: { perSecond: 0.001, burst: 5 }, read: { perSecond: 0, burst: 1 } },
    });
    try {
      const key = (await limited.lumen.services.apiKeys.create('weighed', ApiKeyRole.INGEST)).key;
      expect((await limited.gql(INGEST_LOGS, { logs: [logInput(), logInput(), logInput(), logInput()] }, key)).status).toBe(200);
      expect((await limited.gql(INGEST_LOGS, { logs: [logInput(), logInput()] }, key)).status).toBe(429);
      expect((await limited.gql(INGEST_LOGS, { logs: [logInput()] }, key)).status).toBe(200);
    } finally {
      await limited.stop();
      await created.drop();
    }
  });

  it('limits ingestion over HTTP and OTLP from the same bucket', async () => {
    const key = await newKey(ApiKeyRole.INGEST);
    expect((await sut.gql(INGEST_LOGS, { logs: [logInput()] }, key)).status).toBe(200);
    expect((await sut.gql(INGEST_LOGS, { logs: [logInput()] }, key)).status).toBe(200);
    const refused = await sut.gql(INGEST_LOGS, { logs: [logInput()] }, key);
    expect(refused.status).toBe(429);
    const otlp = await fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ resourceSpans: [] }),
    });
    expect(otlp.status).toBe(429);
    expect(otlp.headers.get('retry-after')).toBeTruthy();
  });

  it('limits operations over a websocket too', async () => {
    const key = await newKey(ApiKeyRole.READ);
    const { client } = wsClient(sut.url, key);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await wsQuery(client, VIEWER).catch((errors: unknown) => ({ errors })));
    expect(results.slice(0, 3).every((r) => 'data' in r)).toBe(true);
    expect(JSON.stringify(results[3])).toContain('RATE_LIMITED');
    await client.dispose();
  });
});

const redisUrl = inject('redisUrl');
const sharedDatabase = testDatabases().find((database) => database.name === 'postgres');
// Two replicas need a shared PostgreSQL and Redis; registered only when both answered in the global
// setup (which says so when one did not).
if (redisUrl && sharedDatabase) {
  describe('rate limits shared through Redis', () => {
    let replicas: TestLumen[] = [];
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const created = await sharedDatabase.create();
      drop = created.drop;
      replicas = [
        await startTestLumen(created.config, { ...tight, redisUrl }),
        await startTestLumen(created.config, { ...tight, redisUrl }),
      ];
    });
    afterAll(async () => {
      for (const replica of replicas) await replica.stop();
      await drop?.();
    });

    it("counts a key's requests across replicas", async () => {
      const key = (await replicas[0]!.lumen.services.apiKeys.create('shared', ApiKeyRole.READ)).key;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await replicas[i % 2]!.gql(VIEWER, {}, key)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });
}
