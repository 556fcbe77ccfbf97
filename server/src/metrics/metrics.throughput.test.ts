import { describe, expect, it } from 'vitest';

import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import type { MetricsSummary } from './metrics.types.js';

const SUMMARY = `query($range: TimeRangeInput!) { metricsSummary(range: $range) { ttftCount ttftAvg ttftP50 ttftP95 outputTokensPerSecond } }`;
const HOUR = { from: new Date('2026-04-01T10:00:00Z'), to: new Date('2026-04-01T11:00:00Z') };

// Generation times: 1000 − 200 = 800 ms; 500 ms (no TTFT); 300 ms (TTFT not below the latency);
// the error without output and the call without a latency do not count. 530 tokens / 1.6 s.
const CALLS = [
  { latencyMs: 1000, timeToFirstTokenMs: 200, outputTokens: 400 },
  { latencyMs: 500, timeToFirstTokenMs: null, outputTokens: 100 },
  { latencyMs: 300, timeToFirstTokenMs: 300, outputTokens: 30 },
  { latencyMs: 900, timeToFirstTokenMs: 100, outputTokens: 0, status: 'ERROR' },
  { latencyMs: null, timeToFirstTokenMs: 400, outputTokens: 50 },
];

describe.each(testDatabases())('time to first token and throughput on $name', (database) => {
  const metrics = loadConfig({ NODE_ENV: 'test' }).metrics;
  const sut = useTestLumen(database, { metrics: { ...metrics, rawMaxRows: 0, rollupIntervalSeconds: 3600 } });

  it('divides the output tokens by the generation seconds, raw and from rollups alike', async () => {
    const logs = CALLS.map((call, i) => logInput({ ...call, timestamp: new Date(HOUR.from.getTime() + i * 60_000).toISOString() }));
    const ingested = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(ingested.data!.ingestLogs.accepted).toBe(CALLS.length);
    const read = async (range: { from: Date; to: Date }) =>
      (await sut.gql<{ metricsSummary: MetricsSummary }>(SUMMARY, { range })).data!.metricsSummary;
    // Less than an hour is read raw, with exact percentiles (100, 200, 300, 400 ms).
    const raw = await read({ from: HOUR.from, to: new Date(HOUR.to.getTime() - 1) });
    expect(raw).toEqual({ ttftCount: 4, ttftAvg: 250, ttftP50: 250, ttftP95: 385, outputTokensPerSecond: 331.25 });
    // A whole hour is read from rollups (rawMaxRows 0): first with the rows still pending, then folded in.
    for (const step of ['pending', 'folded']) {
      if (step === 'folded') await sut.lumen.services.metricRollups.flush();
      const rolled = await read(HOUR);
      expect(rolled, step).toMatchObject({ ttftCount: 4, ttftAvg: 250, outputTokensPerSecond: 331.25 });
      expect(Math.abs(rolled.ttftP50! - 250) / 250, step).toBeLessThanOrEqual(0.01);
      expect(Math.abs(rolled.ttftP95! - 385) / 385, step).toBeLessThanOrEqual(0.01);
    }
  });
});
