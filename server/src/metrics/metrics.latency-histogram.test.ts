import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { startTestLumen, testConfig, type TestLumen } from '../test/lumen.js';
import { ingestFixture, matching, metricsFixture, type FixtureFilter } from '../test/metrics-fixture.js';
import { DISPLAY_BOUNDS } from './metrics.histogram.js';
import { MetricsService } from './metrics.service.js';

const HISTOGRAM = `query($range: TimeRangeInput!, $filter: MetricsFilter) { latencyHistogram(range: $range, filter: $filter) { lowerMs upperMs count } }`;
type Bucket = { lowerMs: number; upperMs: number | null; count: number };

// Unaligned edges: the rollup path reads whole days and hours and the minutes around them raw.
const LONG = { from: new Date('2026-03-06T03:17:41Z'), to: new Date('2026-03-09T20:42:05Z') };
const FILTERS: FixtureFilter[] = [
  {},
  { appId: 'chat' },
  { model: 'gpt-4o' },
  { userId: 'user-1', model: 'gpt-4o' },
  { appId: 'no-such-app' },
];

/** The bars counted here from the fixture's latencies. */
function expectedBars(latencies: number[]): number[] {
  return DISPLAY_BOUNDS.map((lower, i) => {
    const upper = DISPLAY_BOUNDS[i + 1] ?? Infinity;
    return latencies.filter((ms) => ms >= lower && ms < upper).length;
  });
}

describe.each(testDatabases())('latencyHistogram on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  const logs = metricsFixture();
  const latencies = (range: { from: Date; to: Date }, filter: FixtureFilter) =>
    matching(logs, range, filter)
      .map((log) => log.latencyMs)
      .filter((ms): ms is number => ms != null);
  const histogram = async (range: { from: Date; to: Date }, filter: FixtureFilter = {}) => {
    const result = await sut.gql<{ latencyHistogram: Bucket[] }>(HISTOGRAM, { range, filter });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.latencyHistogram;
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    // rawMaxRows 0: every range holding a whole hour is read from rollups.
    const base = testConfig(created.config);
    sut = await startTestLumen(created.config, { metrics: { ...base.metrics, rawMaxRows: 0, rollupIntervalSeconds: 3600 } });
    await ingestFixture(sut, logs);
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('counts every call with a latency in its bar, exactly, when read from the logs', async () => {
    const raw = new MetricsService(sut.lumen.services.sql, { rawMaxRows: Number.MAX_SAFE_INTEGER });
    for (const filter of FILTERS) {
      const bars = await raw.latencyHistogram(LONG, filter);
      expect(bars.map((bar) => bar.lowerMs)).toEqual([...DISPLAY_BOUNDS]);
      expect(bars.at(-1)!.upperMs).toBeNull();
      expect(
        bars.map((bar) => bar.count),
        JSON.stringify(filter),
      ).toEqual(expectedBars(latencies(LONG, filter)));
    }
    expect(latencies(LONG, {}).length).toBeGreaterThan(100);
  });

  it('gives the same total from the rollups, each bar within 2 % of its calls', async () => {
    expect(await sut.lumen.services.metricRollups.flush()).toBeGreaterThan(0);
    for (const filter of FILTERS) {
      const expected = expectedBars(latencies(LONG, filter));
      const bars = (await histogram(LONG, filter)).map((bar) => bar.count);
      const total = expected.reduce((a, b) => a + b, 0);
      expect(
        bars.reduce((a, b) => a + b, 0),
        JSON.stringify(filter),
      ).toBe(total);
      const moved = bars.reduce((sum, count, i) => sum + Math.abs(count - expected[i]!), 0);
      expect(moved, JSON.stringify(filter)).toBeLessThanOrEqual(Math.ceil(total * 0.02) * 2);
    }
  });

  it('answers empty bars for a range without calls', async () => {
    const bars = await histogram({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') });
    expect(bars).toHaveLength(DISPLAY_BOUNDS.length);
    expect(bars.every((bar) => bar.count === 0)).toBe(true);
  });
});
