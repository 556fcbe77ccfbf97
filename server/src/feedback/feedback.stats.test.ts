import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, SUBMIT_FEEDBACK, type FeedbackPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

interface Item {
  rating: 'POSITIVE' | 'NEGATIVE';
  score: number | null;
  category: string | null;
  appId: string;
  model: string | null;
  userId: string;
  status: 'OPEN' | 'RESOLVED';
  createdAt: number;
}

interface Counts {
  totalCount: number;
  positiveCount: number;
  negativeCount: number;
  positiveRate: number | null;
  negativeRate: number | null;
  scoredCount: number;
  averageScore: number | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2025-03-10T00:00:00Z');
// Starts and ends inside a bucket, so the first and last buckets are partial.
const RANGE = { from: new Date(START + 5.5 * HOUR), to: new Date(START + 2 * DAY + 20.25 * HOUR) };
const LOGS = [
  { appId: 's-a', model: 'gpt-4o' },
  { appId: 's-a', model: 'claude-sonnet-4' },
  { appId: 's-b', model: 'gpt-4o' },
  { appId: 's-b', model: 'qwen-max' },
].map((log) => logInput({ ...log, timestamp: new Date(START - DAY).toISOString() }));
const CATEGORIES = ['wrong answer', 'too slow', 'unsafe', null];

/** A small deterministic generator, so the dataset is varied but the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

// The statistics computed independently of the server, from the items as they were built.
function counts(items: Item[]): Counts {
  const positive = items.filter((item) => item.rating === 'POSITIVE').length;
  const scores = items.flatMap((item) => (item.score === null ? [] : [item.score]));
  return {
    totalCount: items.length,
    positiveCount: positive,
    negativeCount: items.length - positive,
    positiveRate: items.length ? positive / items.length : null,
    negativeRate: items.length ? (items.length - positive) / items.length : null,
    scoredCount: scores.length,
    averageScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
  };
}

function groups(items: Item[], key: (item: Item) => string | null) {
  const keys = [...new Set(items.map(key))];
  return keys
    .map((k) => ({ key: k, ...counts(items.filter((item) => key(item) === k)) }))
    .sort((a, b) => b.totalCount - a.totalCount || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1));
}

function expectedStats(items: Item[], range: { from: Date; to: Date }, width: number) {
  const inRange = items.filter((item) => item.createdAt >= range.from.getTime() && item.createdAt < range.to.getTime());
  const series = [];
  for (let bucket = Math.floor(range.from.getTime() / width) * width; bucket < range.to.getTime(); bucket += width) {
    series.push({
      bucket: new Date(bucket).toISOString(),
      ...counts(inRange.filter((item) => item.createdAt >= bucket && item.createdAt < bucket + width)),
    });
  }
  const open = inRange.filter((item) => item.status === 'OPEN').length;
  return {
    ...counts(inRange),
    openCount: open,
    resolvedCount: inRange.length - open,
    byCategory: groups(inRange, (item) => item.category),
    byModel: groups(inRange, (item) => item.model),
    byApp: groups(inRange, (item) => item.appId),
    byUser: groups(inRange, (item) => item.userId),
    timeSeries: series,
  };
}

/** Rounds floats so that SQL's and JavaScript's averages compare equal. */
function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(9)) : v)),
  ) as T;
}

const COUNT_FIELDS = 'totalCount positiveCount negativeCount positiveRate negativeRate scoredCount averageScore';
const STATS = `query($range: TimeRangeInput!, $filter: FeedbackStatsFilter, $interval: FeedbackInterval) {
  feedbackStats(range: $range, filter: $filter, interval: $interval) {
    ${COUNT_FIELDS} openCount resolvedCount interval
    byCategory { key ${COUNT_FIELDS} } byModel { key ${COUNT_FIELDS} } byApp { key ${COUNT_FIELDS} } byUser { key ${COUNT_FIELDS} }
    timeSeries { bucket ${COUNT_FIELDS} }
  }
}`;

describe.each(testDatabases())('feedbackStats on $name', (database) => {
  const sut = useTestLumen(database);
  const items: Item[] = [];

  const stats = async (variables: Record<string, unknown>, key?: string) => {
    const result = await sut.gql<{ feedbackStats: Record<string, unknown> & { interval: string } }>(STATS, variables, key);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.feedbackStats;
  };
  const range = (r: { from: Date; to: Date }) => ({ from: r.from.toISOString(), to: r.to.toISOString() });

  beforeAll(async () => {
    await sut.gql(INGEST_LOGS, { logs: LOGS });

    const next = random(7);
    const placed: { id: string; createdAt: Date; status: Item['status'] }[] = [];
    for (let i = 0; i < 90; i++) {
      const log = next() < 0.8 ? LOGS[Math.floor(next() * LOGS.length)]! : null;
      const item: Item = {
        rating: next() < 0.6 ? 'POSITIVE' : 'NEGATIVE',
        score: next() < 0.3 ? null : 1 + Math.floor(next() * 5),
        category: CATEGORIES[Math.floor(next() * CATEGORIES.length)]!,
        appId: log ? (log.appId as string) : next() < 0.5 ? 's-a' : 's-c',
        model: log ? (log.model as string) : null,
        userId: next() < 0.5 ? 'u-ann' : 'u-bo',
        status: next() < 0.3 ? 'RESOLVED' : 'OPEN',
        // Spread over a window a little wider than RANGE, with its exact ends among the instants.
        createdAt:
          i === 0
            ? RANGE.from.getTime()
            : i === 1
              ? RANGE.to.getTime()
              : i === 2
                ? RANGE.from.getTime() - 1
                : START + Math.floor(next() * 3 * DAY),
      };
      const input = {
        ...(log ? { logEventId: log.eventId } : { appId: item.appId }),
        rating: item.rating,
        score: item.score,
        category: item.category,
        userId: item.userId,
      };
      const result = await sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input });
      placed.push({ id: result.data!.submitFeedback.id, createdAt: new Date(item.createdAt), status: item.status });
      items.push(item);
    }
    await sut.lumen.services.sql.query(
      'update user_feedback f set created_at = p.created_at, status = p.status from unnest($1::uuid[], $2::timestamptz[], $3::text[]) as p(id, created_at, status) where f.id = p.id',
      [placed.map((p) => p.id), placed.map((p) => p.createdAt), placed.map((p) => p.status)],
    );
  });

  const cases: [string, Record<string, unknown>, (item: Item) => boolean, 'HOUR' | 'DAY', number][] = [
    ['everything, by hour', {}, () => true, 'HOUR', HOUR],
    ['everything, by day', {}, () => true, 'DAY', DAY],
    ['one app', { appId: 's-a' }, (item: Item) => item.appId === 's-a', 'HOUR', HOUR],
    ['one model', { model: 'gpt-4o' }, (item: Item) => item.model === 'gpt-4o', 'DAY', DAY],
    ['app and model', { appId: 's-b', model: 'gpt-4o' }, (item: Item) => item.appId === 's-b' && item.model === 'gpt-4o', 'DAY', DAY],
    [
      'a category and a rating',
      { category: 'too slow', rating: 'NEGATIVE' },
      (item: Item) => item.category === 'too slow' && item.rating === 'NEGATIVE',
      'DAY',
      DAY,
    ],
    ['open feedback', { status: 'OPEN' }, (item: Item) => item.status === 'OPEN', 'HOUR', HOUR],
  ];
  it.each(cases)('matches an independent computation for %s', async (_name, filter, keep, interval, width) => {
    const actual = await stats({ range: range(RANGE), filter, interval });
    const expected = expectedStats(items.filter(keep), RANGE, width);
    expect(expected.totalCount).toBeGreaterThan(0);
    expect(rounded(actual)).toEqual(rounded({ ...expected, interval }));
  });

  it('counts feedback received exactly at from and not at to', async () => {
    const edge = { from: RANGE.from, to: new Date(RANGE.from.getTime() + 1) };
    expect((await stats({ range: range(edge) })).totalCount).toBe(1);
    const end = { from: RANGE.to, to: new Date(RANGE.to.getTime() + 1) };
    expect((await stats({ range: range(end) })).totalCount).toBe(1);
  });

  it('answers zero counts, null rates and zero-filled buckets for a range without feedback', async () => {
    const empty = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-01T03:00:00Z') };
    expect(await stats({ range: range(empty) })).toEqual({ ...expectedStats([], empty, HOUR), interval: 'HOUR' });
    expect((await stats({ range: range(empty) })).timeSeries).toHaveLength(3);
  });

  it('buckets by hour up to three days and by day beyond when no interval is given', async () => {
    expect((await stats({ range: range({ from: new Date(START), to: new Date(START + 3 * DAY) }) })).interval).toBe('HOUR');
    expect((await stats({ range: range({ from: new Date(START), to: new Date(START + 3 * DAY + 1) }) })).interval).toBe('DAY');
  });

  it('refuses a reversed range and more buckets than it serves', async () => {
    const reversed = await sut.gql(STATS, { range: { from: RANGE.to.toISOString(), to: RANGE.from.toISOString() } });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'range' });
    const long = await sut.gql(STATS, { range: { from: '2020-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, interval: 'HOUR' });
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'interval' });
    expect(long.errors?.[0]?.message).toContain('choose a wider interval');
  });

  it('answers a READ key and refuses an INGEST key', async () => {
    expect((await stats({ range: range(RANGE) }, await sut.createKey(ApiKeyRole.READ))).totalCount).toBeGreaterThan(0);
    const refused = await sut.gql(STATS, { range: range(RANGE) }, await sut.createKey(ApiKeyRole.INGEST));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  describe('negativeRate (NEGATIVE_FEEDBACK_RATE for alert rules)', () => {
    it.each([
      ['no scope', {}, () => true],
      ['an app', { appId: 's-b' }, (item: Item) => item.appId === 's-b'],
      ['a model', { model: 'claude-sonnet-4' }, (item: Item) => item.model === 'claude-sonnet-4'],
      ['an app and a model', { appId: 's-a', model: 'gpt-4o' }, (item: Item) => item.appId === 's-a' && item.model === 'gpt-4o'],
    ] as const)('matches an independent computation with %s', async (_name, scope, keep) => {
      const expected = expectedStats(items.filter(keep), RANGE, DAY);
      expect(expected.totalCount).toBeGreaterThan(0);
      const actual = await sut.lumen.services.feedback.negativeRate(RANGE, scope);
      expect(actual).toEqual({
        rate: expect.closeTo(expected.negativeRate!, 9),
        count: expected.totalCount,
        negative: expected.negativeCount,
      });
    });

    it('is null with a count of zero when no feedback matches', async () => {
      expect(await sut.lumen.services.feedback.negativeRate(RANGE, { appId: 'nobody' })).toEqual({ rate: null, count: 0, negative: 0 });
    });
  });
});
