import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { startTestLumen, testConfig, type TestLumen } from '../test/lumen.js';
import {
  expectedSummary,
  expectSummary,
  ingestFixture,
  matching,
  metricsFixture,
  SUMMARY_FIELDS,
  type FixtureFilter,
  type FixtureLog,
} from '../test/metrics-fixture.js';
import { MetricsService } from './metrics.service.js';
import { MetricsDimension, type MetricsGroup } from './metrics.types.js';

const BREAKDOWN = `query($range: TimeRangeInput!, $by: MetricsDimension!, $filter: MetricsFilter, $limit: Int, $withRemainder: Boolean) {
  metricsBreakdown(range: $range, by: $by, filter: $filter, limit: $limit, withRemainder: $withRemainder) { key remainder ${SUMMARY_FIELDS} }
}`;
const RANGE = { from: new Date('2026-03-06T03:17:41Z'), to: new Date('2026-03-09T20:42:05Z') };
const FIELD = { MODEL: 'model', APP: 'appId', USER: 'userId', PROVIDER: 'provider' } as const;

/** The groups an independent computation gives: most requests first, ties by key, nulls last. */
function expectedGroups(logs: FixtureLog[], by: keyof typeof FIELD): { key: string | null; logs: FixtureLog[] }[] {
  const groups = new Map<string | null, FixtureLog[]>();
  for (const log of logs) {
    const key = log[FIELD[by]];
    groups.set(key, [...(groups.get(key) ?? []), log]);
  }
  return [...groups.entries()]
    .map(([key, members]) => ({ key, logs: members }))
    .sort(
      (a, b) => b.logs.length - a.logs.length || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

describe.each(testDatabases())('metricsBreakdown on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  const logs = metricsFixture();
  const breakdown = async (variables: { by: string; filter?: FixtureFilter; limit?: number; withRemainder?: boolean }) => {
    const result = await sut.gql<{ metricsBreakdown: MetricsGroup[] }>(BREAKDOWN, { range: RANGE, ...variables });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.metricsBreakdown;
  };
  const expectGroups = (
    actual: MetricsGroup[],
    filter: FixtureFilter,
    by: keyof typeof FIELD,
    limit: number,
    percentiles: 'exact' | 'within1pct',
  ) => {
    const expected = expectedGroups(matching(logs, RANGE, filter), by);
    const top = expected.slice(0, limit);
    const rest = expected.slice(limit).flatMap((group) => group.logs);
    expect(actual.map((group) => [group.key, group.remainder])).toEqual([
      ...top.map((group) => [group.key, false]),
      ...(rest.length > 0 ? [[null, true]] : []),
    ]);
    top.forEach((group, i) => {
      const { key: _key, remainder: _remainder, ...summary } = actual[i]!;
      expectSummary(summary, expectedSummary(group.logs), percentiles);
    });
    if (rest.length > 0) {
      const { key: _key, remainder: _remainder, ...summary } = actual[top.length]!;
      expectSummary(summary, expectedSummary(rest), percentiles);
    }
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    const base = testConfig(created.config);
    sut = await startTestLumen(created.config, { metrics: { ...base.metrics, rawMaxRows: 0, rollupIntervalSeconds: 3600 } });
    await ingestFixture(sut, logs.slice(0, 900));
    await sut.lumen.services.metricRollups.flush();
    await ingestFixture(sut, logs.slice(900));
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it.each(['MODEL', 'APP', 'USER', 'PROVIDER'] as const)('breaks down by %s, most requests first, with the remainder', async (by) => {
    expectGroups(await breakdown({ by, limit: 3, withRemainder: true }), {}, by, 3, 'within1pct');
  });

  it('honours the limit and leaves the remainder out unless asked', async () => {
    const groups = await breakdown({ by: 'USER', limit: 2 });
    expect(groups).toHaveLength(2);
    expect(groups.every((group) => !group.remainder)).toBe(true);
    expect(groups[0]!.requestCount).toBeGreaterThanOrEqual(groups[1]!.requestCount);
  });

  it('breaks down within a filter', async () => {
    expectGroups(
      await breakdown({ by: 'MODEL', filter: { appId: 'chat' }, limit: 10, withRemainder: true }),
      { appId: 'chat' },
      'MODEL',
      10,
      'within1pct',
    );
    expectGroups(
      await breakdown({ by: 'APP', filter: { userId: 'user-0' }, limit: 1, withRemainder: true }),
      { userId: 'user-0' },
      'APP',
      1,
      'exact',
    );
  });

  it('computes groups exactly from raw rows', async () => {
    const raw = new MetricsService(sut.lumen.services.sql, { rawMaxRows: Number.MAX_SAFE_INTEGER });
    expectGroups(await raw.breakdown(RANGE, MetricsDimension.USER, {}, 4, true), {}, 'USER', 4, 'exact');
    expectGroups(
      await raw.breakdown(RANGE, MetricsDimension.MODEL, { provider: 'openai' }, 1, true),
      { provider: 'openai' },
      'MODEL',
      1,
      'exact',
    );
  });

  it('gives an empty list for an empty range and refuses a bad limit', async () => {
    const empty = await sut.gql<{ metricsBreakdown: MetricsGroup[] }>(BREAKDOWN, {
      range: { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') },
      by: 'MODEL',
      withRemainder: true,
    });
    expect(empty.data!.metricsBreakdown).toEqual([]);
    const bad = await sut.gql(BREAKDOWN, { range: RANGE, by: 'MODEL', limit: 0 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
  });
});
