import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { startTestLumen, testConfig, type TestLumen } from '../test/lumen.js';
import {
  expectedSummary,
  expectSummary,
  FIXTURE_FROM,
  FIXTURE_TO,
  ingestFixture,
  matching,
  metricsFixture,
  SUMMARY_FIELDS,
  type FixtureFilter,
} from '../test/metrics-fixture.js';
import { MetricsService } from './metrics.service.js';
import type { MetricsSummary } from './metrics.types.js';

const SUMMARY = `query($range: TimeRangeInput!, $filter: MetricsFilter) { metricsSummary(range: $range, filter: $filter) { ${SUMMARY_FIELDS} } }`;

// Unaligned edges: the rollup path reads whole days and hours and the minutes around them raw.
const LONG = { from: new Date('2026-03-06T03:17:41Z'), to: new Date('2026-03-09T20:42:05Z') };
const FILTERS: FixtureFilter[] = [
  {},
  { appId: 'chat' },
  { model: 'gpt-4o' },
  { provider: 'anthropic' },
  { userId: 'user-0' },
  { appId: 'search', model: 'gpt-4o' },
  { appId: 'chat', provider: 'openai', model: 'gpt-4o-mini' },
  { userId: 'user-1', model: 'gpt-4o' },
  { appId: 'no-such-app' },
];

describe.each(testDatabases())('metricsSummary on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  const logs = metricsFixture();
  const summary = async (range: { from: Date; to: Date }, filter: FixtureFilter = {}, key?: string) => {
    const result = await sut.gql<{ metricsSummary: MetricsSummary }>(SUMMARY, { range, filter }, key);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.metricsSummary;
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    // rawMaxRows 0: every range holding a whole hour is read from rollups; the timer never fires here.
    const base = testConfig(created.config);
    sut = await startTestLumen(created.config, { metrics: { ...base.metrics, rawMaxRows: 0, rollupIntervalSeconds: 3600 } });
    await ingestFixture(sut, logs);
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('computes every metric exactly from raw rows', async () => {
    const raw = new MetricsService(sut.lumen.services.sql, { rawMaxRows: Number.MAX_SAFE_INTEGER });
    for (const filter of FILTERS) {
      expectSummary(await raw.summary(LONG, filter), expectedSummary(matching(logs, LONG, filter)), 'exact');
    }
  });

  it('reads a range without a whole hour raw, with exact percentiles', async () => {
    const short = { from: new Date('2026-03-08T07:05:00Z'), to: new Date('2026-03-08T07:59:00Z') };
    expectSummary(await summary(short), expectedSummary(matching(logs, short)), 'exact');
  });

  it('reads rollups plus pending rows with exact counts and percentiles within 1 %', async () => {
    for (const filter of FILTERS) expectSummary(await summary(LONG, filter), expectedSummary(matching(logs, LONG, filter)), 'within1pct');
  });

  it('gives the same answer once pending rows are folded into the rollups', async () => {
    const before = await summary(LONG);
    expect(await sut.lumen.services.metricRollups.flush()).toBeGreaterThan(0);
    expect(await summary(LONG)).toEqual(before);
    for (const filter of FILTERS) expectSummary(await summary(LONG, filter), expectedSummary(matching(logs, LONG, filter)), 'within1pct');
    const whole = { from: FIXTURE_FROM, to: FIXTURE_TO };
    expectSummary(await summary(whole), expectedSummary(logs), 'within1pct');
  });

  it("reads the last minutes of a range from their hour's rollup when no log follows them in that hour", async () => {
    // `to` just after the last log of its hour (no log between `to` and the hour's end), and then just
    // before it (that log follows `to`): both exact in counts, neither counted twice.
    const lastHour = Date.UTC(2026, 2, 9, 20);
    const inHour = logs.map((log) => Date.parse(log.timestamp)).filter((ts) => ts >= lastHour && ts < lastHour + 3_600_000);
    const last = Math.max(...inHour);
    expect(inHour.length).toBeGreaterThan(1);
    for (const to of [new Date(last + 1), new Date(last)]) {
      const range = { from: LONG.from, to };
      for (const filter of FILTERS)
        expectSummary(await summary(range, filter), expectedSummary(matching(logs, range, filter)), 'within1pct');
    }
  });

  it('answers an empty range with zero counts and null rates and percentiles', async () => {
    const empty = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') };
    expect(await summary(empty)).toEqual({
      requestCount: 0,
      successCount: 0,
      errorCount: 0,
      successRate: null,
      errorRate: null,
      latencyAvg: null,
      latencyP50: null,
      latencyP95: null,
      latencyP99: null,
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
      totalCost: '0',
      ttftCount: 0,
      ttftAvg: null,
      ttftP50: null,
      ttftP95: null,
      outputTokensPerSecond: null,
    });
  });

  it('refuses a range that ends before it starts', async () => {
    const result = await sut.gql(SUMMARY, { range: { from: FIXTURE_TO, to: FIXTURE_FROM } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'range' });
  });

  it('answers READ keys and refuses INGEST keys and anonymous requests', async () => {
    const read = await sut.createKey('READ' as never);
    expect((await summary(LONG, {}, read)).requestCount).toBe(matching(logs, LONG).length);
    const ingest = await sut.createKey('INGEST' as never);
    expect((await sut.gql(SUMMARY, { range: LONG }, ingest)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await sut.gql(SUMMARY, { range: LONG }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
