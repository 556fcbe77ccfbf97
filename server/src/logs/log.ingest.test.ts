import { describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

describe.each(testDatabases())('ingestLogs on $name', (database) => {
  const sut = useTestLumen(database, {
    limits: {
      logContentMaxBytes: 1024,
      logMetadataMaxBytes: 1024,
      ingestMaxBatch: 50,
      otlpMaxSpans: 5000,
      otlpWorkers: 0,
      ingestConcurrency: 2,
      maxBodyBytes: 256 * 1024,
    },
  });
  const ingest = (logs: unknown[]) => sut.gql<IngestPayload>(INGEST_LOGS, { logs });
  const count = async (where = 'true', values: unknown[] = []) =>
    Number((await sut.lumen.services.sql.query<{ n: string }>(`select count(*) as n from app_log where ${where}`, values))[0]!.n);

  it('stores a batch and answers after it is readable', async () => {
    const logs = [logInput({ appId: 'a-store' }), logInput({ appId: 'a-store' }), logInput({ appId: 'a-store' })];
    const result = await ingest(logs);
    expect(result.data!.ingestLogs).toEqual({ accepted: 3, duplicates: 0, rejected: [], eventIds: logs.map((l) => l.eventId) });
    expect(await count(`app_id = 'a-store'`)).toBe(3);
  });

  it('stores a replayed batch once', async () => {
    const logs = Array.from({ length: 5 }, () => logInput({ appId: 'a-replay' }));
    expect((await ingest(logs)).data!.ingestLogs).toMatchObject({ accepted: 5, duplicates: 0 });
    expect((await ingest(logs)).data!.ingestLogs).toMatchObject({ accepted: 0, duplicates: 5 });
    const overlapping = [...logs.slice(3), logInput({ appId: 'a-replay' })];
    expect((await ingest(overlapping)).data!.ingestLogs).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await count(`app_id = 'a-replay'`)).toBe(6);
  });

  it('counts an eventId repeated inside one batch as a duplicate', async () => {
    const log = logInput({ appId: 'a-inside' });
    expect((await ingest([log, { ...log }])).data!.ingestLogs).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('stores the good items of a mixed batch and names each bad one', async () => {
    const logs = [
      logInput({ appId: 'a-mixed' }),
      logInput({ appId: 'a-mixed', inputTokens: -5 }),
      logInput({ appId: 'a-mixed', status: 'MAYBE' }),
      logInput({ appId: 'a-mixed' }),
      logInput({ appId: null, model: null }),
    ];
    const result = (await ingest(logs)).data!.ingestLogs;
    expect(result.accepted).toBe(2);
    expect(result.duplicates).toBe(0);
    expect(result.rejected).toEqual([
      { index: 1, field: 'inputTokens', message: 'must be a whole number from 0 to 2147483647' },
      { index: 2, field: 'status', message: 'must be one of SUCCESS, ERROR' },
      { index: 4, field: 'appId', message: 'is required' },
      { index: 4, field: 'model', message: 'is required' },
    ]);
    expect(result.eventIds).toEqual([logs[0]!.eventId, null, null, logs[3]!.eventId, null]);
    expect(await count(`app_id = 'a-mixed'`)).toBe(2);
  });

  it('accepts the status as an enum literal too', async () => {
    const result = await sut.gql<IngestPayload>(
      'mutation { ingestLogs(logs: [{ appId: "a-literal", provider: "openai", model: "gpt-4o", status: ERROR }]) { accepted eventIds } }',
    );
    expect(result.data!.ingestLogs.accepted).toBe(1);
    expect(await count(`app_id = 'a-literal' and status = 'ERROR'`)).toBe(1);
  });

  it('gives a log without eventId a server-generated one', async () => {
    const { eventId: _omitted, ...log } = logInput({ appId: 'a-noid' });
    const result = (await ingest([log])).data!.ingestLogs;
    expect(result.eventIds[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await count('event_id = $1', [result.eventIds[0]])).toBe(1);
  });

  it('cuts a long prompt at the limit and flags it', async () => {
    const log = logInput({ appId: 'a-long', prompt: 'x'.repeat(5000), response: 'ok' });
    await ingest([log]);
    const [row] = await sut.lumen.services.sql.query<{ len: number; prompt_truncated: boolean; response_truncated: boolean }>(
      'select octet_length(prompt) as len, prompt_truncated, response_truncated from app_log where event_id = $1',
      [log.eventId],
    );
    expect(row).toEqual({ len: 1024, prompt_truncated: true, response_truncated: false });
  });

  it('refuses a batch above the item limit as a whole, storing nothing', async () => {
    const logs = Array.from({ length: 51 }, () => logInput({ appId: 'a-big' }));
    const result = await ingest(logs);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'logs' });
    expect(result.errors?.[0]?.message).toContain('at most 50');
    expect(await count(`app_id = 'a-big'`)).toBe(0);
  });

  it('refuses a body above the size limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const logs = Array.from({ length: 10 }, () => logInput({ appId: 'a-body', prompt: 'y'.repeat(30_000) }));
    const result = await ingest(logs);
    expect(result.status).toBe(413);
    expect(result.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count(`app_id = 'a-body'`)).toBe(0);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.adminKey}` },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
  });

  it('keeps metadata as JSON and tags as an array', async () => {
    const log = logInput({ appId: 'a-meta', metadata: { region: 'eu', nested: { n: 1 } }, tags: ['beta', 'say "hi"', 'back\\slash'] });
    await ingest([log]);
    const [row] = await sut.lumen.services.sql.query<{ metadata: unknown; tags: string[]; region: string }>(
      `select metadata, tags, metadata->>'region' as region from app_log where event_id = $1`,
      [log.eventId],
    );
    expect(row).toEqual({ metadata: { region: 'eu', nested: { n: 1 } }, tags: ['beta', 'say "hi"', 'back\\slash'], region: 'eu' });
  });

  it('stores concurrent batches that share eventIds exactly once', async () => {
    const shared = Array.from({ length: 20 }, () => logInput({ appId: 'a-race' }));
    const results = await Promise.all(Array.from({ length: 4 }, () => ingest([...shared].reverse())));
    const accepted = results.reduce((sum, r) => sum + r.data!.ingestLogs.accepted, 0);
    expect(accepted).toBe(20);
    expect(await count(`app_id = 'a-race'`)).toBe(20);
  });

  it('stores concurrent replays of an eventId once even when each replay names another day (another partition)', async () => {
    const ids = Array.from({ length: 10 }, () => logInput({ appId: 'a-race-days' }).eventId);
    const replay = (daysAgo: number) =>
      ingest(
        ids.map((eventId) =>
          logInput({ appId: 'a-race-days', eventId, timestamp: new Date(Date.now() - daysAgo * 86_400_000).toISOString() }),
        ),
      );
    const results = await Promise.all([0, 1, 5, 40].map(replay));
    expect(results.reduce((sum, r) => sum + r.data!.ingestLogs.accepted, 0)).toBe(10);
    expect(results.reduce((sum, r) => sum + r.data!.ingestLogs.duplicates, 0)).toBe(30);
    expect(await count(`app_id = 'a-race-days'`)).toBe(10);
  });
});
