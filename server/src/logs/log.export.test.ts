import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { csvField } from '../http/export-stream.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

const base = Date.parse('2026-04-01T00:00:00Z');
const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();

describe.each(testDatabases())('exporting logs on $name', (database) => {
  const sut = useTestLumen(database);
  let readKey: string;
  beforeAll(async () => {
    readKey = await sut.createKey(ApiKeyRole.READ);
    // 2,500 logs: more than two of the export's pages.
    for (let batch = 0; batch < 5; batch++) {
      const logs = Array.from({ length: 500 }, (_, i) => {
        const n = batch * 500 + i;
        return logInput({ eventId: `x-${n}`, appId: n % 2 ? 'odd' : 'even', timestamp: at(n), latencyMs: n });
      });
      expect((await sut.gql<IngestPayload>(INGEST_LOGS, { logs })).data?.ingestLogs.accepted).toBe(500);
    }
    const tricky = logInput({
      eventId: 'x-tricky',
      appId: 'tricky',
      timestamp: at(5000),
      prompt: 'a, "quoted"\nline',
      response: '=SUM(A1:A9)',
    });
    await sut.gql(INGEST_LOGS, { logs: [tricky] });
  });

  const get = (query: string, key: string | null = readKey) =>
    fetch(`${sut.url}/v1/export/logs?${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('streams every selected log as NDJSON, newest first, across pages', async () => {
    const response = await get('format=ndjson&appId=odd');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { eventId: string; appId: string; latencyMs: number });
    expect(rows).toHaveLength(1250);
    expect(rows.every((row) => row.appId === 'odd')).toBe(true);
    expect(rows[0]!.eventId).toBe('x-2499');
    expect(rows.at(-1)!.eventId).toBe('x-1');
    expect(new Set(rows.map((row) => row.eventId)).size).toBe(1250);
  });

  it('follows orderBy across pages, and refuses an order it does not know', async () => {
    const rows = (await (await get('format=ndjson&appId=odd&orderBy=LATENCY_ASC')).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { latencyMs: number });
    expect(rows).toHaveLength(1250);
    expect(rows.map((row) => row.latencyMs)).toEqual(Array.from({ length: 1250 }, (_, i) => 2 * i + 1));
    const bad = await get('format=ndjson&orderBy=LOUDEST');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('orderBy must be one of');
  });

  it('writes CSV with a header, quoting and neutralised formulas, with content on request and a time range', async () => {
    const csv = await (await get('format=csv&appId=tricky&content=true')).text();
    const [header, ...lines] = csv.trimEnd().split('\r\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['eventId', 'timestamp', 'cost', 'prompt', 'response']));
    expect(lines.join('\r\n')).toContain('"a, ""quoted""\nline"');
    expect(lines.join('\r\n')).toContain(`"'=SUM(A1:A9)"`);
    const ranged = await (await get(`format=csv&appId=even&from=${at(100)}&to=${at(200)}`)).text();
    expect(ranged.trimEnd().split('\r\n')).toHaveLength(1 + 50);
  });

  it('refuses a missing key, an INGEST key, an unknown format and a too-short search', async () => {
    expect((await get('format=csv', null)).status).toBe(401);
    expect((await get('format=csv', await sut.createKey(ApiKeyRole.INGEST))).status).toBe(403);
    expect((await get('format=xml')).status).toBe(400);
    const search = await get('format=csv&search=a');
    expect(search.status).toBe(400);
    expect(((await search.json()) as { error: string }).error).toContain('2 to 200');
    expect((await get('format=csv&from=yesterday')).status).toBe(400);
  });
});

describe(csvField.name, () => {
  it('quotes what needs it and leaves the rest', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvField('+1 555')).toBe(`"'+1 555"`);
  });
});
