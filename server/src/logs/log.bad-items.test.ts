import { describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { wsClient, wsQuery } from '../test/ws-client.js';

/** Items that once failed their whole batch; each must now be rejected alone, by index and field. */
function hostileBatch(appId: string, depth: number) {
  let deep: unknown = 'leaf';
  for (let i = 0; i < depth; i++) deep = [deep];
  return [
    logInput({ appId }),
    logInput({ appId, metadata: { k: 'x\ud800' } }),
    logInput({ appId, metadata: { 'k\udc00': 'v' } }),
    logInput({ appId, metadata: { deep } }),
    logInput({ appId, inputTokens: 1.5 }),
    logInput({ appId, outputTokens: 2 ** 31 }),
    logInput({ appId, timestamp: '2026-13-45T99:00:00Z' }),
    logInput({ appId, eventId: 'evt\u0000nul' }),
    logInput({
      appId,
      prompt: 'nul\u0000here',
      response: 'half \ud83d surrogate',
      metadata: { literal: 'C:\\u0000\\dir', also: '\\u0000' },
    }),
  ];
}

const EXPECTED_REJECTED = [
  { index: 1, field: 'metadata' },
  { index: 2, field: 'metadata' },
  { index: 3, field: 'metadata' },
  { index: 4, field: 'inputTokens' },
  { index: 5, field: 'outputTokens' },
  { index: 6, field: 'timestamp' },
  { index: 7, field: 'eventId' },
];

describe.each(testDatabases())('ingestLogs with hostile items ($name)', (database) => {
  const sut = useTestLumen(database, { env: 'production' });

  const stored = (appId: string) =>
    sut.lumen.services.sql.query<{ prompt: string; response: string; metadata: Record<string, string> }>(
      `select prompt, response, metadata from app_log where app_id = $1 order by id`,
      [appId],
    );

  it('stores the valid items of a batch and rejects each bad one by index and field (HTTP)', async () => {
    // 4,500 levels, as an attacker sent them: more than JSON.stringify can write, so the body is spliced.
    const body = JSON.stringify({ query: INGEST_LOGS, variables: { logs: hostileBatch('bad-http', 0) } }).replace(
      '"deep":"leaf"',
      `"deep":${'['.repeat(4_500)}0${']'.repeat(4_500)}`,
    );
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.adminKey}` },
      body,
    });
    const result = (await response.json()) as { data?: IngestPayload; errors?: unknown[] };
    expect(result.errors).toBeUndefined();
    const { accepted, rejected, eventIds } = result.data!.ingestLogs;
    expect(accepted).toBe(2);
    expect(rejected.map(({ index, field }) => ({ index, field }))).toEqual(EXPECTED_REJECTED);
    expect(rejected.find((r) => r.index === 3)!.message).toBe('must be nested at most 20 levels deep');
    expect(rejected.find((r) => r.index === 4)!.message).toBe('must be a whole number from 0 to 2147483647');
    expect(eventIds[7]).toBeNull();
  });

  it('repairs free text but keeps the literal text \\u0000 in metadata as sent', async () => {
    const rows = await stored('bad-http');
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.prompt.startsWith('nul'))).toEqual({
      prompt: 'nul\uFFFDhere',
      response: 'half \uFFFD surrogate',
      metadata: { literal: 'C:\\u0000\\dir', also: '\\u0000' },
    });
  });

  it('rejects the same items one by one over the websocket', async () => {
    const { client } = wsClient(sut.url, sut.adminKey);
    const result = await wsQuery<IngestPayload>(client, INGEST_LOGS, { logs: hostileBatch('bad-ws', 100) });
    await client.dispose();
    expect(result.errors).toBeUndefined();
    expect(result.data!.ingestLogs.accepted).toBe(2);
    expect(result.data!.ingestLogs.rejected.map(({ index, field }) => ({ index, field }))).toEqual(EXPECTED_REJECTED);
  });
});
