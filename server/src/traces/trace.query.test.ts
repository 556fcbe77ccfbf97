import { beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { spanRecord } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import type { SpanRecord } from './span.ingest.js';
import { SpanStatus } from './span.types.js';

const base = Date.parse('2026-05-01T00:00:00Z');
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Trace t: one root span, in session t % 400 (so each session has three traces, far apart in time). */
function rootSpan(t: number): SpanRecord {
  return spanRecord({
    traceId: hex(t, 32),
    spanId: hex(t, 16),
    name: 'turn',
    startTime: new Date(base + t * 60_000),
    durationMs: 1000,
    status: t % 97 === 0 ? SpanStatus.ERROR : SpanStatus.OK,
    appId: t % 2 ? 'odd' : 'even',
    sessionId: `s-${t % 400}`,
  });
}

const SESSIONS = `query($first: Int, $after: String, $filter: SessionFilter) {
  sessions(first: $first, after: $after, filter: $filter) { nodes { sessionId traceCount errorCount lastAt } pageInfo { hasNextPage endCursor } } }`;

describe.each(testDatabases())('sessions and traces pages on $name', (database) => {
  const sut = useTestLumen(database);
  beforeAll(async () => {
    // Stored in two batches, newest first, as out-of-order exports would arrive.
    const spans = Array.from({ length: 1200 }, (_, t) => rootSpan(t)).reverse();
    await sut.lumen.services.spanIngest.store(spans.slice(0, 600));
    await sut.lumen.services.spanIngest.store(spans.slice(600));
  });

  const allPages = async (query: string, field: 'sessions' | 'traces', first: number, filter?: Record<string, unknown>) => {
    const seen: Record<string, unknown>[] = [];
    let after: string | null = null;
    for (;;) {
      type Pages = Record<string, { nodes: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean; endCursor: string } }>;
      const { data, errors }: { data?: Pages; errors?: unknown } = await sut.gql<Pages>(query, { first, after, filter });
      expect(errors).toBeUndefined();
      seen.push(...data![field]!.nodes);
      if (!data![field]!.pageInfo.hasNextPage) return seen;
      after = data![field]!.pageInfo.endCursor;
    }
  };

  it('pages through every session once, the most recently active first, with exact counts', async () => {
    const sessions = await allPages(SESSIONS, 'sessions', 50);
    expect(sessions).toHaveLength(400);
    // Session s-k last ran trace 800 + k: the newest sessions are s-399, s-398, …
    expect(sessions.slice(0, 3).map((s) => s.sessionId)).toEqual(['s-399', 's-398', 's-397']);
    expect(sessions.map((s) => s.sessionId)).toEqual(Array.from({ length: 400 }, (_, i) => `s-${399 - i}`));
    expect(sessions.every((s) => s.traceCount === 3)).toBe(true);
    expect(sessions.find((s) => s.sessionId === 's-0')!.errorCount).toBe(1); // trace 0 (0 % 97) failed; 400 and 800 did not
  });

  it('filters sessions by app while paging', async () => {
    const odd = await allPages(SESSIONS, 'sessions', 40, { appId: 'odd' });
    expect(odd).toHaveLength(200);
    expect(odd.every((s) => Number(String(s.sessionId).slice(2)) % 2 === 1)).toBe(true);
  });

  it('pages through traces newest first by keyset, with the status filter', async () => {
    const traces = await allPages(
      `query($first: Int, $after: String, $filter: TraceFilter) {
      traces(first: $first, after: $after, filter: $filter) { nodes { traceId status } pageInfo { hasNextPage endCursor } } }`,
      'traces',
      500,
    );
    expect(traces).toHaveLength(1200);
    expect(traces[0]!.traceId).toBe(hex(1199, 32));
    const failed = await allPages(
      `query($filter: TraceFilter) { traces(filter: $filter, first: 500) { nodes { traceId status } pageInfo { hasNextPage endCursor } } }`,
      'traces',
      500,
      {
        status: 'ERROR',
      },
    );
    expect(failed.map((t) => t.traceId)).toEqual([1164, 1067, 970, 873, 776, 679, 582, 485, 388, 291, 194, 97, 0].map((t) => hex(t, 32)));
  });
});
