import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, type IngestPayload } from '../test/factories.js';
import { startTestLumen, testConfig, type TestLumen } from '../test/lumen.js';
import { expectedSummary, expectSummary, ingestFixture, metricsFixture, SUMMARY_FIELDS, type FixtureLog } from '../test/metrics-fixture.js';
import type { MetricsSummary } from './metrics.types.js';

const SUMMARY = `query($range: TimeRangeInput!, $filter: MetricsFilter) { metricsSummary(range: $range, filter: $filter) { ${SUMMARY_FIELDS} } }`;
const RANGE = { from: new Date('2026-03-05T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') };

describe.each(testDatabases())('metric rollups on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  let logs = metricsFixture(600, 11);
  const summary = async (filter: Record<string, string> = {}) => {
    const result = await sut.gql<{ metricsSummary: MetricsSummary }>(SUMMARY, { range: RANGE, filter });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.metricsSummary;
  };
  /** Before and after folding pending rows in, the rollup path must agree with the fixture. */
  const expectRollupsMatch = async (expected: FixtureLog[]) => {
    expectSummary(await summary(), expectedSummary(expected), 'within1pct');
    await sut.lumen.services.metricRollups.flush();
    expectSummary(await summary(), expectedSummary(expected), 'within1pct');
    const [pending] = await sut.lumen.services.sql.query<{ n: number }>('select count(*)::int as n from metric_pending');
    expect(pending!.n).toBe(0);
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    const base = testConfig(created.config);
    sut = await startTestLumen(created.config, { metrics: { ...base.metrics, rawMaxRows: 0, rollupIntervalSeconds: 3600 } });
    await ingestFixture(sut, logs);
    await sut.lumen.services.metricRollups.flush();
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('changes nothing when a batch is replayed', async () => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs: logs.slice(100, 300) });
    expect(result.data!.ingestLogs).toMatchObject({ accepted: 0, duplicates: 200 });
    await expectRollupsMatch(logs);
  });

  it('counts a late log in its own, already rolled-up hour', async () => {
    const late = { ...logs[0]!, eventId: 'late-1', timestamp: '2026-03-06T04:30:00.000Z', latencyMs: 123_456, cost: '1.5' };
    await ingestFixture(sut, [late]);
    logs = [...logs, late];
    await expectRollupsMatch(logs);
  });

  it('stores parallel batches, overlapping in eventIds and hours, exactly once', async () => {
    const extra = metricsFixture(400, 12);
    const batches = [extra.slice(0, 250), extra.slice(150, 400), extra.slice(0, 400), extra.slice(100, 200)];
    const results = await Promise.all(batches.map((batch) => sut.gql<IngestPayload>(INGEST_LOGS, { logs: batch })));
    expect(results.reduce((sum, r) => sum + r.data!.ingestLogs.accepted, 0)).toBe(400);
    logs = [...logs, ...extra];
    await expectRollupsMatch(logs);
  });

  it('follows recomputeCosts, before and after compaction', async () => {
    const created = await sut.gql<{ createCostConfig: { id: string } }>(
      `mutation { createCostConfig(input: { provider: "acme", model: "acme-1", inputPricePerMillion: "2.5", outputPricePerMillion: "10" }) { id } }`,
    );
    expect(created.errors).toBeUndefined();
    const recomputed = await sut.gql<{ recomputeCosts: { updated: number } }>(
      'mutation($range: TimeRangeInput!) { recomputeCosts(range: $range, filter: { provider: "acme" }) { updated } }',
      { range: RANGE },
    );
    const acme = logs.filter((log) => log.provider === 'acme');
    expect(recomputed.data!.recomputeCosts.updated).toBe(acme.length);
    logs = logs.map((log) =>
      log.provider === 'acme'
        ? { ...log, cost: new Decimal(log.inputTokens).mul('2.5').plus(new Decimal(log.outputTokens).mul(10)).div(1e6).toFixed() }
        : log,
    );
    const [stored] = await sut.lumen.services.sql.query<{ total: string }>(
      `select sum(cost)::text as total from app_log where provider = 'acme'`,
    );
    expect(Number(stored!.total)).toBeCloseTo(
      acme.reduce((sum, log) => sum + (log.inputTokens * 2.5 + log.outputTokens * 10) / 1e6, 0),
      9,
    );
    expect((await summary({ provider: 'acme' })).totalCost).toBe(normalize(stored!.total));
    await expectRollupsMatch(logs);
    expect((await summary({ provider: 'acme' })).totalCost).toBe(normalize(stored!.total));
  });

  it('rebuilds the same rollups from app_log', async () => {
    // Histograms compared as their merged entries: their bytes may list bins in another order.
    const rollups = () =>
      sut.lumen.services.sql.query(
        `select r.*, (select array_agg(e.bin || ':' || e.n order by e.bin) from (select bin, sum(n) as n from lumen_histogram_entries(r.latency_hist) group by bin) e) as latency_hist,
                (select array_agg(e.bin || ':' || e.n order by e.bin) from (select bin, sum(n) as n from lumen_histogram_entries(r.ttft_hist) group by bin) e) as ttft_hist
           from metric_rollup r order by grain, dim, bucket, app_id, provider, model, user_id`,
      );
    const before = await rollups();
    await sut.lumen.services.metricRollups.rebuild();
    const after = await rollups();
    expect(after).toEqual(before);
  });
});

function normalize(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}
