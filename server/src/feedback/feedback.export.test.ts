import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, SUBMIT_FEEDBACK } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

interface Row {
  id: string;
  createdAt: string;
  rating: string;
  appId: string;
  model: string | null;
  comment: string | null;
}

describe.each(testDatabases())('exporting feedback on $name', (database) => {
  const sut = useTestLumen(database);
  let readKey: string;
  let ingestKey: string;
  beforeAll(async () => {
    readKey = await sut.createKey(ApiKeyRole.READ);
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
    await sut.gql(INGEST_LOGS, {
      logs: [
        logInput({ eventId: 'fx-1', appId: 'fx', model: 'gpt-4o', provider: 'openai' }),
        logInput({ eventId: 'fx-2', appId: 'fx', model: 'qwen-max', provider: 'qwen' }),
      ],
    });
    for (const [eventId, rating] of [
      ['fx-1', 'NEGATIVE'],
      ['fx-1', 'POSITIVE'],
      ['fx-2', 'NEGATIVE'],
    ] as const) {
      const result = await sut.gql(SUBMIT_FEEDBACK, {
        input: { logEventId: eventId, rating, appId: 'fx', comment: `=${eventId}, "really"` },
      });
      expect(result.errors).toBeUndefined();
    }
    // 1,500 more, two by two at the same instant: more than one page of the export, with ties on time.
    await sut.lumen.services.sql.query(
      `insert into user_feedback (rating, status, app_id, user_id, comment, created_at)
       select case when g % 3 = 0 then 'NEGATIVE' else 'POSITIVE' end, 'OPEN', 'bulk', 'u' || (g % 7), 'bulk ' || g,
              timestamptz '2025-01-01T00:00:00Z' + (g / 2) * interval '1 second'
         from generate_series(1, 1500) as g`,
    );
  });

  const get = (query: string, key: string | null = readKey) =>
    fetch(`${sut.url}/v1/export/feedback?${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const ndjson = async (query: string) =>
    (await (await get(`format=ndjson&${query}`)).text())
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Row);

  it('streams all feedback as NDJSON across pages, newest first with ties by id, each row once', async () => {
    const response = await get('format=ndjson');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('lumen-feedback.ndjson');
    const rows = await ndjson('');
    expect(rows).toHaveLength(1503);
    expect(new Set(rows.map((row) => row.id)).size).toBe(1503);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      const order = Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id > b.id ? 1 : -1);
      expect(order, `rows ${i - 1} and ${i}`).toBeGreaterThan(0);
    }
    expect(rows.slice(0, 3).every((row) => row.appId === 'fx')).toBe(true);
  });

  it('honours the filters of the feedback query, the linked log’s model included', async () => {
    expect((await ndjson('appId=bulk&rating=NEGATIVE')).length).toBe(500);
    const gpt = await ndjson('model=gpt-4o');
    expect(gpt.map((row) => [row.model, row.rating]).sort()).toEqual([
      ['gpt-4o', 'NEGATIVE'],
      ['gpt-4o', 'POSITIVE'],
    ]);
    const ranged = await ndjson('from=2025-01-01T00:00:10Z&to=2025-01-01T00:00:20Z');
    expect(ranged).toHaveLength(20);
    expect((await ndjson('linked=false')).every((row) => row.appId === 'bulk')).toBe(true);
  });

  it('writes CSV with a header, quoting and neutralised formulas', async () => {
    const csv = await (await get('format=csv&appId=fx')).text();
    const [header, ...lines] = csv.trimEnd().split('\r\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['id', 'createdAt', 'rating', 'comment', 'model', 'logEventId']));
    expect(lines).toHaveLength(3);
    expect(csv).toContain(`"'=fx-2, ""really"""`);
  });

  it('refuses bad parameters, no key and an ingest key, before sending any row', async () => {
    const bad = await get('format=ndjson&rating=MEH');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('rating must be one of');
    expect((await get('format=xml')).status).toBe(400);
    expect((await get('format=csv&from=yesterday')).status).toBe(400);
    expect((await get('format=csv&linked=maybe')).status).toBe(400);
    expect((await get('format=csv', null)).status).toBe(401);
    expect((await get('format=csv', ingestKey)).status).toBe(403);
  });
});
