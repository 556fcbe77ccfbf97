import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { SqlQuery } from '../db/sql.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, SUBMIT_FEEDBACK, type FeedbackPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

/** What a test expects of one stored feedback, computed from how the dataset was built. */
interface Expected {
  id: string;
  rating: 'POSITIVE' | 'NEGATIVE';
  status: 'OPEN' | 'RESOLVED';
  appId: string;
  userId: string;
  category: string | null;
  traceId: string | null;
  model: string | null;
  provider: string | null;
  createdAt: Date;
}

const BASE = Date.parse('2025-06-01T08:00:00Z');
const LOGS = [
  { appId: 'q-a', model: 'gpt-4o', provider: 'openai', userId: 'u1', traceId: 'trace-q1' },
  { appId: 'q-a', model: 'claude-sonnet-4', provider: 'anthropic', userId: 'u2', traceId: null },
  { appId: 'q-b', model: 'qwen-max', provider: 'qwen', userId: 'u3', traceId: 'trace-q3' },
  { appId: 'q-b', model: 'gpt-4o', provider: 'openai', userId: 'u1', traceId: null },
].map((log) => logInput({ ...log, timestamp: new Date(BASE - 3_600_000).toISOString() }));
const CATEGORIES = ['wrong answer', 'too slow', null];

describe.each(testDatabases())('feedback queries on $name', (database) => {
  const sut = useTestLumen(database);
  let readKey: string;
  const dataset: Expected[] = [];

  const list = async (filter: Record<string, unknown> | null, first?: number, after?: string, key?: string) => {
    const result = await sut.gql<{
      feedback: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }>(
      'query($filter: FeedbackFilter, $first: Int, $after: String) { feedback(filter: $filter, first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
      { filter, first, after },
      key,
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.feedback;
  };
  const ids = async (filter: Record<string, unknown>) => (await list(filter, 500)).edges.map((edge) => edge.node.id);
  // Newest first, ties by id descending: the order the API promises.
  const expectedIds = (keep: (item: Expected) => boolean) =>
    dataset
      .filter(keep)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((item) => item.id);

  /** Counts the statements that read app_log, locate logs in app_log_event, or read user_feedback while fn runs. */
  async function countReads<T>(fn: () => Promise<T>): Promise<{ result: T; logReads: number; logLocates: number; feedbackReads: number }> {
    const sql = sut.lumen.services.sql;
    const original = sql.query;
    let logReads = 0;
    let logLocates = 0;
    let feedbackReads = 0;
    sql.query = ((text: string, values?: unknown[]) => {
      if (/from app_log\b/.test(text)) logReads++;
      if (/from app_log_event\b/.test(text)) logLocates++;
      if (/from user_feedback/.test(text)) feedbackReads++;
      return original(text, values);
    }) as SqlQuery;
    try {
      return { result: await fn(), logReads, logLocates, feedbackReads };
    } finally {
      sql.query = original;
    }
  }

  beforeAll(async () => {
    readKey = await sut.createKey(ApiKeyRole.READ);
    await sut.gql(INGEST_LOGS, { logs: LOGS });

    for (let i = 0; i < 25; i++) {
      const log = i % 5 < 4 ? LOGS[i % 5]! : null;
      const input = log
        ? { logEventId: log.eventId, rating: i % 2 === 0 ? 'NEGATIVE' : 'POSITIVE', category: CATEGORIES[i % 3] }
        : {
            logEventId: randomUUID(),
            appId: i % 2 === 0 ? 'q-a' : 'q-b',
            userId: 'u9',
            rating: i % 2 === 0 ? 'NEGATIVE' : 'POSITIVE',
            category: CATEGORIES[i % 3],
          };
      const result = await sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input: { feedbackId: `q-${i}`, ...input } });
      const feedback = result.data!.submitFeedback;
      // Three share one instant, so paging must order ties by id.
      const createdAt = new Date(BASE + (i >= 10 && i <= 12 ? 10 : i) * 60_000);
      await sut.lumen.services.sql.query('update user_feedback set created_at = $2 where id = $1', [feedback.id, createdAt]);
      dataset.push({
        id: feedback.id,
        rating: input.rating as Expected['rating'],
        status: 'OPEN',
        appId: log ? (log.appId as string) : (input.appId as string),
        userId: log ? (log.userId as string) : 'u9',
        category: CATEGORIES[i % 3]!,
        traceId: (log?.traceId as string | null) ?? null,
        model: (log?.model as string) ?? null,
        provider: (log?.provider as string) ?? null,
        createdAt,
      });
    }
    for (const item of dataset.filter((_, i) => i % 4 === 0)) {
      await sut.gql('mutation($id: ID!) { resolveFeedback(id: $id, note: "handled") { id } }', { id: item.id });
      item.status = 'RESOLVED';
    }
  });

  it('lists every feedback newest first, to a READ key', async () => {
    expect((await list(null, 500, undefined, readKey)).edges.map((edge) => edge.node.id)).toEqual(expectedIds(() => true));
  });

  it.each([
    ['rating', { rating: 'NEGATIVE' }, (item: Expected) => item.rating === 'NEGATIVE'],
    ['status', { status: 'RESOLVED' }, (item: Expected) => item.status === 'RESOLVED'],
    ['status OPEN', { status: 'OPEN' }, (item: Expected) => item.status === 'OPEN'],
    ['appId', { appId: 'q-b' }, (item: Expected) => item.appId === 'q-b'],
    ['model of the linked log', { model: 'gpt-4o' }, (item: Expected) => item.model === 'gpt-4o'],
    ['provider of the linked log', { provider: 'anthropic' }, (item: Expected) => item.provider === 'anthropic'],
    ['userId', { userId: 'u1' }, (item: Expected) => item.userId === 'u1'],
    ['category', { category: 'too slow' }, (item: Expected) => item.category === 'too slow'],
    ['traceId', { traceId: 'trace-q3' }, (item: Expected) => item.traceId === 'trace-q3'],
    ['linked', { linked: true }, (item: Expected) => item.model !== null],
    ['not linked', { linked: false }, (item: Expected) => item.model === null],
    ['from', { from: new Date(BASE + 10 * 60_000).toISOString() }, (item: Expected) => item.createdAt.getTime() >= BASE + 10 * 60_000],
    ['to', { to: new Date(BASE + 10 * 60_000).toISOString() }, (item: Expected) => item.createdAt.getTime() < BASE + 10 * 60_000],
    [
      'app, model, rating and time together',
      {
        appId: 'q-b',
        model: 'gpt-4o',
        rating: 'POSITIVE',
        from: new Date(BASE).toISOString(),
        to: new Date(BASE + 20 * 60_000).toISOString(),
      },
      (item: Expected) =>
        item.appId === 'q-b' && item.model === 'gpt-4o' && item.rating === 'POSITIVE' && item.createdAt.getTime() < BASE + 20 * 60_000,
    ],
  ] as const)('filters by %s', async (_name, filter, keep) => {
    const expected = expectedIds(keep);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(dataset.length);
    expect(await ids(filter)).toEqual(expected);
  });

  it('pages through everything without skipping or repeating, ties included', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await list(null, 4, after);
      seen.push(...page.edges.map((edge) => edge.node.id));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(expectedIds(() => true));
  });

  it('pages with a filter', async () => {
    const first = await list({ rating: 'POSITIVE' }, 3);
    const second = await list({ rating: 'POSITIVE' }, 500, first.pageInfo.endCursor!);
    expect([...first.edges, ...second.edges].map((edge) => edge.node.id)).toEqual(expectedIds((item) => item.rating === 'POSITIVE'));
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges.at(-1)!.cursor });
  });

  it('refuses a cursor it did not make and a page size out of range', async () => {
    for (const [variables, field] of [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: Buffer.from('123:not-a-uuid').toString('base64url') }, 'after'],
      [{ first: 0 }, 'first'],
      [{ first: 501 }, 'first'],
    ] as const) {
      const result = await sut.gql(
        'query($first: Int, $after: String) { feedback(first: $first, after: $after) { nodes { id } } }',
        variables,
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it("returns each item's log, loading all logs of a page with one query", async () => {
    const { result, logReads, logLocates } = await countReads(() =>
      sut.gql<{ feedback: { nodes: { id: string; log: { eventId: string; model: string; prompt: string } | null }[] } }>(
        '{ feedback(first: 100) { nodes { id log { eventId model prompt } } } }',
        {},
        readKey,
      ),
    );
    const nodes = result.data!.feedback.nodes;
    expect(nodes).toHaveLength(dataset.length);
    for (const node of nodes) {
      const expected = dataset.find((item) => item.id === node.id)!;
      if (expected.model === null) expect(node.log).toBeNull();
      else expect(node.log).toMatchObject({ model: expected.model, prompt: 'What is the capital of France?' });
    }
    // The page, the logs, their prompts: never one query per item (each of the two reads by id first
    // locates its logs' days, also once for the page).
    expect(logReads).toBe(2);
    expect(logLocates).toBe(2);
  });

  it('shows on each log the feedback about it, newest first, with one query for the page', async () => {
    const { result, feedbackReads } = await countReads(() =>
      sut.gql<{ logs: { nodes: { eventId: string; feedback: { id: string; rating: string }[] }[] } }>(
        '{ logs(first: 50) { nodes { eventId feedback { id rating } } } }',
        {},
        readKey,
      ),
    );
    const nodes = result.data!.logs.nodes;
    expect(nodes).toHaveLength(LOGS.length);
    for (const node of nodes) {
      const log = LOGS.find((l) => l.eventId === node.eventId)!;
      const expected = expectedIds((item) => item.model === log.model && item.appId === log.appId && item.userId === log.userId);
      expect(node.feedback.map((f) => f.id)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
    expect(feedbackReads).toBe(1);
  });

  it('shows an empty list on a log without feedback', async () => {
    const log = logInput({ appId: 'q-quiet' });
    await sut.gql(INGEST_LOGS, { logs: [log] });
    const result = await sut.gql<{ logs: { nodes: { feedback: unknown[] }[] } }>(
      '{ logs(filter: { appId: "q-quiet" }) { nodes { feedback { id } } } }',
    );
    expect(result.data!.logs.nodes).toEqual([{ feedback: [] }]);
  });
});
