import { beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

const LOGS = `query Logs($filter: LogFilter, $first: Int, $after: String) {
  logs(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id eventId appId model status timestamp } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface LogsPayload {
  logs: {
    edges: { cursor: string; node: { id: string; eventId: string; appId: string; model: string; status: string; timestamp: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const base = Date.parse('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

describe.each(testDatabases())('logs and log on $name', (database) => {
  const sut = useTestLumen(database);
  const ingest = async (logs: unknown[]) => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(result.data?.ingestLogs.rejected).toEqual([]);
  };
  const page = (filter: Record<string, unknown>, first?: number, after?: string | null) =>
    sut.gql<LogsPayload>(LOGS, { filter, first, after });

  beforeAll(async () => {
    await ingest([
      logInput({ eventId: 'f-1', appId: 'f-chat', model: 'gpt-4o', provider: 'openai', userId: 'u1', timestamp: at(1), traceId: 't-1' }),
      logInput({
        eventId: 'f-2',
        appId: 'f-chat',
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        userId: 'u2',
        timestamp: at(2),
        status: 'ERROR',
      }),
      logInput({
        eventId: 'f-3',
        appId: 'f-search',
        model: 'gpt-4o',
        provider: 'openai',
        userId: 'u1',
        timestamp: at(3),
        sessionId: 's-1',
      }),
      logInput({ eventId: 'f-4', appId: 'f-search', model: 'deepseek-chat', provider: 'deepseek', userId: 'u3', timestamp: at(4) }),
    ]);
  });

  const ids = (payload: LogsPayload | undefined) => payload!.logs.edges.map((edge) => edge.node.eventId);
  const window = { from: at(0), to: at(10) };

  it('lists newest first', async () => {
    expect(ids((await page(window)).data)).toEqual(['f-4', 'f-3', 'f-2', 'f-1']);
  });

  it.each([
    [{ appId: 'f-chat' }, ['f-2', 'f-1']],
    [{ model: 'gpt-4o' }, ['f-3', 'f-1']],
    [{ provider: 'anthropic' }, ['f-2']],
    [{ userId: 'u1' }, ['f-3', 'f-1']],
    [{ status: 'ERROR' }, ['f-2']],
    [{ traceId: 't-1' }, ['f-1']],
    [{ sessionId: 's-1' }, ['f-3']],
    [{ from: at(2), to: at(4) }, ['f-3', 'f-2']],
    [{ appId: 'f-search', model: 'gpt-4o' }, ['f-3']],
  ])('filters by %j', async (filter, expected) => {
    expect(ids((await page({ ...window, ...filter })).data)).toEqual(expected);
  });

  it('pages across a boundary without skipping or repeating, while logs keep arriving', async () => {
    const timestamps = Array.from({ length: 30 }, (_, i) => at(100 + Math.floor(i / 3))); // three logs per millisecond-equal time
    await ingest(timestamps.map((timestamp, i) => logInput({ eventId: `p-${i}`, appId: 'f-page', timestamp })));
    const expected = timestamps.map((_, i) => `p-${i}`);
    const seen: string[] = [];
    let after: string | null = null;
    let round = 0;
    do {
      const result: { data?: LogsPayload } = await page({ appId: 'f-page' }, 7, after);
      seen.push(...ids(result.data));
      after = result.data!.logs.pageInfo.hasNextPage ? result.data!.logs.pageInfo.endCursor : null;
      // Logs arrive between page reads: newer than every page, and older than every page (late ones).
      await ingest([
        logInput({ eventId: `late-new-${round}`, appId: 'f-page', timestamp: at(500) }),
        logInput({ eventId: `late-old-${round}`, appId: 'f-page', timestamp: at(50) }),
      ]);
      round++;
    } while (after);
    const original = seen.filter((id) => id.startsWith('p-'));
    expect(new Set(seen).size).toBe(seen.length);
    expect(original.sort()).toEqual([...expected].sort());
    expect(seen.some((id) => id.startsWith('late-new-'))).toBe(false);
    expect(seen.filter((id) => id.startsWith('late-old-')).length).toBeGreaterThan(0);
    expect(round).toBeGreaterThan(4);
  });

  it('refuses a cursor it did not make, and a page size out of bounds', async () => {
    expect((await page(window, 10, 'garbage')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await page(window, 0)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await page(window, 501)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('returns one log by id with its prompt, response and cost', async () => {
    const first = await page({ ...window, traceId: 't-1' });
    const id = first.data!.logs.edges[0]!.node.id;
    const result = await sut.gql<{ log: Record<string, unknown> }>(
      'query($id: ID!) { log(id: $id) { id eventId prompt response cost costSource inputTokens metadata tags } }',
      { id },
    );
    expect(result.data!.log).toMatchObject({
      id,
      eventId: 'f-1',
      prompt: 'What is the capital of France?',
      response: 'Paris.',
      costSource: 'BUILTIN',
      inputTokens: 12,
      metadata: {},
      tags: [],
    });
    expect(Number(result.data!.log.cost)).toBeGreaterThan(0);
  });

  it('loads prompts of a whole page', async () => {
    const result = await sut.gql<{ logs: { nodes: { prompt: string }[] } }>('{ logs(filter: { appId: "f-chat" }) { nodes { prompt } } }');
    expect(result.data!.logs.nodes).toEqual([{ prompt: 'What is the capital of France?' }, { prompt: 'What is the capital of France?' }]);
  });

  it('answers null for a log that does not exist and BAD_USER_INPUT for a malformed id', async () => {
    expect((await sut.gql('{ log(id: "999999") { id } }')).data).toEqual({ log: null });
    expect((await sut.gql('{ log(id: "abc") { id } }')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
