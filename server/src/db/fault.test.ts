import { randomUUID } from 'node:crypto';
import { findPostgresBinaries, startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from '@lumen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { deferred } from '../test/deferred.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';

const bin = findPostgresBinaries();

/** A client as an integrator writes one: it retries a batch until it is acknowledged. */
async function ingestUntilAcknowledged(
  sut: TestLumen,
  key: string,
  logs: Record<string, unknown>[],
  outcomes: { status: number; code?: unknown }[],
) {
  for (;;) {
    const result = await sut
      .gql<IngestPayload>(INGEST_LOGS, { logs }, key)
      .catch(() => ({ status: 0, errors: [{ extensions: { code: 'NETWORK' } }], data: undefined }));
    if (result.data?.ingestLogs) {
      expect(result.data.ingestLogs.rejected).toEqual([]);
      return;
    }
    outcomes.push({ status: result.status, code: result.errors?.[0]?.extensions?.code });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('PostgreSQL restarting during ingestion', () => {
  let postgres: PrivatePostgres;
  let sut: TestLumen;

  beforeAll(async () => {
    // Fails loudly where the server binaries are missing: a fault test that silently does not run proves nothing.
    if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql');
    postgres = await startPrivatePostgres(bin);
    sut = await startTestLumen({ kind: 'postgres', url: postgres.url, poolSize: 4, dataDir: null });
  });
  afterAll(async () => {
    await sut?.stop();
    await postgres?.stop();
  });

  it('gives retrying clients a retryable error, never a false acknowledgement, and recovers by itself', async () => {
    const key = (await sut.lumen.services.apiKeys.create('fault', ApiKeyRole.INGEST)).key;
    const acknowledged: string[] = [];
    const outcomes: { status: number; code?: unknown }[] = [];
    let restarted = false;
    const thousandAcknowledged = deferred<void>();
    const client = async (name: string) => {
      for (let batch = 0; batch < 30; batch++) {
        const logs = Array.from({ length: 50 }, () => logInput({ eventId: `${name}-${randomUUID()}`, appId: 'fault' }));
        await ingestUntilAcknowledged(sut, key, logs, outcomes);
        acknowledged.push(...logs.map((log) => log.eventId as string));
        if (acknowledged.length >= 1_000) thousandAcknowledged.resolve();
      }
    };
    const restart = (async () => {
      await thousandAcknowledged.promise;
      await postgres.restart();
      restarted = true;
    })();
    await Promise.all([client('a'), client('b'), client('c'), restart]);

    expect(restarted).toBe(true);
    expect(acknowledged).toHaveLength(3 * 30 * 50);
    const [row] = await sut.lumen.services.sql.query<{ stored: string; distinct: string }>(
      'select count(*) as stored, count(distinct event_id) as distinct from app_log where event_id = any($1)',
      [acknowledged],
    );
    expect(Number(row!.stored)).toBe(acknowledged.length);
    expect(Number(row!.distinct)).toBe(acknowledged.length);
    // Every refusal during the outage said "retry": 503 SERVICE_UNAVAILABLE.
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !(o.status === 503 && o.code === 'SERVICE_UNAVAILABLE'))).toEqual([]);
    expect((await fetch(`${sut.url}/healthz`)).status).toBe(200);
  });
});

describe('the Redis link failing and coming back', () => {
  let redis: PrivateRedis | null;
  let sut: TestLumen;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    if (!redis) console.warn('\n  redis-server was not found: the Redis fault test ran without a Redis to stop.\n');
    sut = await startTestLumen(
      { kind: 'embedded', dataDir: null },
      {
        redisUrl: redis?.url,
        rateLimits: { ingest: { perSecond: 0.001, burst: 3 }, read: { perSecond: 0.001, burst: 3 } },
      },
    );
  });
  afterAll(async () => {
    await sut?.stop();
    await redis?.stop();
  });

  it('keeps serving while Redis is down and shares limits again once it is back', async () => {
    expect(redis).not.toBeNull();
    const viewer = '{ viewer { role } }';
    const newKey = async () => (await sut.lumen.services.apiKeys.create('redis fault', ApiKeyRole.READ)).key;
    const statuses = async (key: string, n: number) => {
      const result = [];
      for (let i = 0; i < n; i++) result.push((await sut.gql(viewer, {}, key)).status);
      return result;
    };
    expect(await statuses(await newKey(), 4)).toEqual([200, 200, 200, 429]);
    await redis!.stop();
    expect(await statuses(await newKey(), 5)).toEqual([200, 200, 200, 200, 200]);
    await redis!.start();
    const key = await newKey();
    const client = sut.lumen.services.redis!;
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    expect(await statuses(key, 4)).toEqual([200, 200, 200, 429]);
  });
});
