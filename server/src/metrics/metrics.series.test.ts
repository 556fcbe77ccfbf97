import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { startTestLumen, testConfig, type TestLumen } from '../test/lumen.js';
import {
  expectedSummary,
  expectSummary,
  ingestFixture,
  matching,
  metricsFixture,
  QUIET,
  SUMMARY_FIELDS,
  type FixtureFilter,
} from '../test/metrics-fixture.js';
import type { MetricsPoint } from './metrics.types.js';

const SERIES = `query($range: TimeRangeInput!, $interval: MetricsInterval, $filter: MetricsFilter, $timezone: String) {
  metricsTimeSeries(range: $range, interval: $interval, filter: $filter, timezone: $timezone) { bucket ${SUMMARY_FIELDS} }
}`;

type Point = Omit<MetricsPoint, 'bucket'> & { bucket: string };

describe.each(testDatabases())('metricsTimeSeries on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  const logs = metricsFixture();
  const series = async (variables: { range: { from: Date; to: Date }; interval?: string; filter?: FixtureFilter; timezone?: string }) => {
    const result = await sut.gql<{ metricsTimeSeries: Point[] }>(SERIES, variables);
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.metricsTimeSeries;
  };
  /** Each point against the logs of its bucket, clipped to the range. */
  const expectPoints = (points: Point[], range: { from: Date; to: Date }, filter: FixtureFilter, percentiles: 'exact' | 'within1pct') => {
    points.forEach((point, i) => {
      const from = new Date(Math.max(Date.parse(point.bucket), range.from.getTime()));
      const to = new Date(Math.min(i + 1 < points.length ? Date.parse(points[i + 1]!.bucket) : Infinity, range.to.getTime()));
      const { bucket: _bucket, ...summary } = point;
      expectSummary(summary, expectedSummary(matching(logs, { from, to }, filter)), percentiles);
    });
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    const base = testConfig(created.config);
    sut = await startTestLumen(created.config, { metrics: { ...base.metrics, rawMaxRows: 0, rollupIntervalSeconds: 3600 } });
    await ingestFixture(sut, logs.slice(0, 600));
    await sut.lumen.services.metricRollups.flush();
    // The rest stays pending: reads must add it.
    await ingestFixture(sut, logs.slice(600));
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('zero-fills quiet hours', async () => {
    const range = { from: new Date('2026-03-07T08:00:00Z'), to: new Date('2026-03-07T15:30:00Z') };
    const points = await series({ range, interval: 'HOUR' });
    expect(points.map((p) => p.bucket)).toEqual(Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2026, 2, 7, 8 + i)).toISOString()));
    const quiet = points.filter((p) => Date.parse(p.bucket) >= QUIET.from.getTime() && Date.parse(p.bucket) < QUIET.to.getTime());
    expect(quiet).toHaveLength(3);
    for (const point of quiet) expect(point).toMatchObject({ requestCount: 0, totalCost: '0', latencyP95: null, errorRate: null });
    expectPoints(points, range, {}, 'within1pct');
  });

  it("makes the viewer's daylight-saving day 23 hours long", async () => {
    const range = { from: new Date('2026-03-06T05:00:00Z'), to: new Date('2026-03-09T04:00:00Z') };
    const points = await series({ range, interval: 'DAY', timezone: 'America/New_York', filter: { appId: 'chat' } });
    expect(points.map((p) => p.bucket)).toEqual(['2026-03-06T05:00:00.000Z', '2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z']);
    expectPoints(points, range, { appId: 'chat' }, 'within1pct');
  });

  it('aligns days on a half-hour zone, reading the half hours raw', async () => {
    const range = { from: new Date('2026-03-06T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') };
    const points = await series({ range, interval: 'DAY', timezone: 'Asia/Kolkata' });
    expect(points.map((p) => p.bucket)).toEqual([
      '2026-03-05T18:30:00.000Z',
      '2026-03-06T18:30:00.000Z',
      '2026-03-07T18:30:00.000Z',
      '2026-03-08T18:30:00.000Z',
    ]);
    expectPoints(points, range, {}, 'within1pct');
  });

  it('reads minutes raw with exact percentiles', async () => {
    const range = { from: new Date('2026-03-08T06:10:00Z'), to: new Date('2026-03-08T06:50:00Z') };
    const points = await series({ range, interval: 'MINUTE', filter: { model: 'gpt-4o' } });
    expect(points).toHaveLength(40);
    expectPoints(points, range, { model: 'gpt-4o' }, 'exact');
  });

  it('chooses the interval when none is given, keeping 200 points or fewer', async () => {
    const range = { from: new Date('2026-03-06T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') };
    const points = await series({ range, filter: { userId: 'user-0' } });
    expect(points).toHaveLength(96);
    expect(Date.parse(points[1]!.bucket) - Date.parse(points[0]!.bucket)).toBe(3_600_000);
    expectPoints(points, range, { userId: 'user-0' }, 'within1pct');
    const month = await series({ range: { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z') } });
    expect(month).toHaveLength(89);
    expect(month.reduce((sum, p) => sum + p.requestCount, 0)).toBe(logs.length);
  });

  it('refuses an unknown time zone and a series of too many points', async () => {
    const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
    const zone = await sut.gql(SERIES, { range, timezone: 'Europe/Atlantis' });
    expect(zone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timezone' });
    const minutes = await sut.gql(SERIES, { range, interval: 'MINUTE' });
    expect(minutes.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'interval' });
  });
});
