import { beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

interface Listed {
  id: string;
  timestamp: string;
  latencyMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cost: string | null;
}
type Connection = { edges: { cursor: string; node: Listed }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

const LIST = `query($filter: LogFilter, $first: Int, $after: String, $orderBy: LogOrder) {
  logs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    edges { cursor node { id timestamp latencyMs inputTokens outputTokens cost } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ORDERS = ['TIME_DESC', 'TIME_ASC', 'LATENCY_DESC', 'LATENCY_ASC', 'TOKENS_DESC', 'TOKENS_ASC', 'COST_DESC', 'COST_ASC'] as const;
const base = Date.parse('2026-02-10T12:00:00Z');

/** The order the API promises, worked out here from the rows: value (nulls last), then time, then id, all one way. */
function expected(rows: Listed[], order: (typeof ORDERS)[number]): string[] {
  const [field, direction] = order.split('_') as [string, 'ASC' | 'DESC'];
  const value = (row: Listed): number | null =>
    field === 'LATENCY'
      ? row.latencyMs
      : field === 'TOKENS'
        ? row.inputTokens + row.outputTokens
        : field === 'COST'
          ? row.cost === null
            ? null
            : Number(row.cost)
          : 0;
  const sign = direction === 'ASC' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const [va, vb] = [value(a), value(b)];
      if ((va === null) !== (vb === null)) return va === null ? 1 : -1;
      if (va !== null && vb !== null && va !== vb) return sign * (va - vb);
      const time = Date.parse(a.timestamp) - Date.parse(b.timestamp);
      if (time !== 0) return sign * time;
      return sign * (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
    })
    .map((row) => row.id);
}

describe.each(testDatabases())('ordering logs on $name', (database) => {
  const sut = useTestLumen(database);
  const filter = { appId: 'order-test' };
  let all: Listed[] = [];

  const page = async (orderBy: string | undefined, first: number, after?: string | null) => {
    const result = await sut.gql<{ logs: Connection }>(LIST, { filter, first, after, orderBy });
    return result;
  };

  beforeAll(async () => {
    // 61 logs: latencies with ties and gaps, shared timestamps, priced and unpriced calls.
    const logs = Array.from({ length: 61 }, (_, i) =>
      logInput({
        eventId: `order-${i}`,
        appId: 'order-test',
        timestamp: new Date(base + Math.floor(i / 3) * 1000).toISOString(),
        provider: i % 5 === 0 ? 'no-such-provider' : 'openai',
        model: i % 5 === 0 ? 'a-model-without-price' : i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
        latencyMs: i % 7 === 0 ? null : ((i * 37) % 11) * 100,
        inputTokens: (i * 13) % 17,
        outputTokens: (i * 5) % 3,
      }),
    );
    const stored = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(stored.data?.ingestLogs.accepted).toBe(61);
    all = (await page(undefined, 500)).data!.logs.edges.map((edge) => edge.node);
    expect(all).toHaveLength(61);
    // The data holds what the orders must cope with: missing latencies and costs, and equal values.
    expect(all.some((row) => row.latencyMs === null)).toBe(true);
    expect(all.some((row) => row.cost === null)).toBe(true);
  });

  for (const order of ORDERS) {
    it(`pages through every log once in ${order} order`, async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const result = await page(order, 7, after);
        expect(result.errors).toBeUndefined();
        const connection = result.data!.logs;
        seen.push(...connection.edges.map((edge) => edge.node.id));
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected(all, order));
    });
  }

  it('keeps newest first as the default and its cursors as before', async () => {
    const first = await page(undefined, 5);
    const explicit = await page('TIME_DESC', 5);
    expect(first.data!.logs).toEqual(explicit.data!.logs);
    const next = await page(undefined, 5, first.data!.logs.pageInfo.endCursor);
    expect(next.data!.logs.edges[0]!.node.id).toBe(expected(all, 'TIME_DESC')[5]);
  });

  it('refuses a cursor of another order, naming the argument', async () => {
    const byLatency = (await page('LATENCY_DESC', 5)).data!.logs.pageInfo.endCursor;
    const byTime = (await page('TIME_DESC', 5)).data!.logs.pageInfo.endCursor;
    for (const [order, cursor] of [
      ['TIME_DESC', byLatency],
      ['COST_DESC', byLatency],
      ['LATENCY_DESC', byTime],
      ['TOKENS_ASC', 'bm9uc2Vuc2U'],
    ] as const) {
      const result = await page(order, 5, cursor);
      expect(result.errors?.[0]?.extensions?.code, `${order} after ${cursor}`).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(result.errors?.[0])).toContain('after');
    }
  });
});
