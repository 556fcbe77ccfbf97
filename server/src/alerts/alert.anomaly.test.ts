import { mulberry32 } from '@lumen/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

import { alertTestConfig, createRule, recordsOf } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { band, median, robustBaseline } from './alert.anomaly.js';

describe('the robust weekly baseline', () => {
  it('takes the median and 1.4826 × MAD, and is not moved by one past incident', () => {
    expect(median([40, 10, 30, 20])).toBe(25);
    // |x − 40|: 2, 0, 2, 360 → MAD 2; the 400 of a past incident moves neither the median nor the MAD much.
    const baseline = robustBaseline([38, 40, 42, 400])!;
    expect(baseline.median).toBe(41);
    expect(baseline.deviation).toBeCloseTo(Math.max(1.4826 * 2.5, 4.1), 9);
    expect(band(baseline, 3).upper).toBeCloseTo(41 + 3 * baseline.deviation, 9);
  });

  it('keeps the deviation at least a tenth of the median, and needs three weeks', () => {
    expect(robustBaseline([10, 10, 10, 10])).toEqual({ median: 10, deviation: 1, points: 4 });
    expect(robustBaseline([10, 12])).toBeNull();
  });
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PEAK_HOURS = new Set([9, 10, 11]);

const PREVIEW = `mutation($input: AlertRuleInput!, $range: TimeRangeInput!) {
  previewAlertRule(input: $input, range: $range) {
    firings { firedAt resolvedAt value } points { at value breaching expected lower upper }
  }
}`;

interface Preview {
  firings: { firedAt: string; resolvedAt: string | null; value: string }[];
  points: { at: string; value: string | null; breaching: boolean; expected: string | null; lower: string | null; upper: string | null }[];
}

/**
 * Five weeks of demo-like traffic of one app, by the hour: 10 calls an hour, 40 in the daily peak
 * (09:00-12:00 UTC), each hour a call or two off; and one incident three days ago, at 03:00, of 40 calls:
 * as many as a peak, at an hour that is normally quiet.
 */
function seasonalTraffic(now: number): { logs: Record<string, unknown>[]; incident: number } {
  const next = mulberry32(18);
  const current = Math.floor(now / HOUR) * HOUR;
  let incident = current - 3 * DAY;
  while (new Date(incident).getUTCHours() !== 3) incident -= HOUR;
  const logs: Record<string, unknown>[] = [];
  for (let slot = current - 35 * DAY; slot <= current; slot += HOUR) {
    const peak = PEAK_HOURS.has(new Date(slot).getUTCHours());
    const count = slot === incident ? 40 : peak ? 40 + Math.floor(next() * 5) - 2 : 10 + Math.floor(next() * 3) - 1;
    // Evenly spread in the hour, so a window that straddles two hours takes the same share of each every week.
    for (let i = 0; i < count; i++) {
      const ts = slot + Math.floor(((i + 0.5) * HOUR) / count);
      if (ts < now) logs.push(logInput({ appId: 'seasonal', timestamp: new Date(ts).toISOString(), latencyMs: 300 }));
    }
  }
  return { logs, incident };
}

describe.each(testDatabases())('ANOMALY rules on $name', (database) => {
  const sut = useTestLumen(database, { ...alertTestConfig(), alertEvalIntervalSeconds: 60 });
  const now = Date.now();
  const { logs, incident } = seasonalTraffic(now);
  const current = Math.floor(now / HOUR) * HOUR;
  // The last week, up to the hour before this one: seven daily peaks and the incident.
  const range = { from: new Date(current - 7 * DAY + HOUR).toISOString(), to: new Date(current - HOUR).toISOString() };
  const anomaly = {
    name: 'Unusual traffic',
    kind: 'ANOMALY',
    metric: 'REQUEST_COUNT',
    operator: 'NEQ',
    threshold: '3',
    windowMinutes: 60,
    appId: 'seasonal',
    minSamples: 5,
  };
  const fixed = {
    name: 'Busy',
    metric: 'REQUEST_COUNT',
    operator: 'GT',
    threshold: '25',
    windowMinutes: 60,
    appId: 'seasonal',
    minSamples: 5,
  };
  const preview = async (input: Record<string, unknown>) => {
    const result = await sut.gql<{ previewAlertRule: Preview }>(PREVIEW, { input, range });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.previewAlertRule;
  };
  const inPeak = (iso: string) => PEAK_HOURS.has(new Date(Date.parse(iso) - 1).getUTCHours());
  const nearIncident = (iso: string) => Date.parse(iso) > incident && Date.parse(iso) <= incident + 2 * HOUR;

  beforeAll(async () => {
    for (let i = 0; i < logs.length; i += 1000) {
      const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs: logs.slice(i, i + 1000) });
      expect(result.data!.ingestLogs.accepted).toBe(Math.min(1000, logs.length - i));
    }
  });

  it('fires on the incident and stays silent on the daily peaks that a fixed threshold fires on', async () => {
    const threshold = await preview(fixed);
    const peaks = threshold.firings.filter((firing) => inPeak(firing.firedAt));
    expect(peaks.length).toBeGreaterThanOrEqual(6);
    expect(threshold.firings.some((firing) => nearIncident(firing.firedAt))).toBe(true);

    const seasonal = await preview(anomaly);
    expect(seasonal.firings.map((firing) => nearIncident(firing.firedAt))).toEqual([true]);
    // At the peaks the fixed threshold fired on, the value was high but inside the band of earlier peaks.
    const atPeaks = seasonal.points.filter((point) => peaks.some((firing) => firing.firedAt === point.at));
    expect(atPeaks.length).toBe(peaks.length);
    for (const point of atPeaks) {
      expect(Number(point.value)).toBeGreaterThan(25);
      expect(point.breaching).toBe(false);
      expect(Number(point.lower)).toBeLessThanOrEqual(Number(point.value));
      expect(Number(point.upper)).toBeGreaterThanOrEqual(Number(point.value));
    }
    // The preview carries the band for the chart at every instant.
    expect(seasonal.points.every((point) => point.expected !== null && point.lower !== null && point.upper !== null)).toBe(true);
  });

  it('fires in the engine on a burst now, above the band', async () => {
    // Above only: the current hour is not over yet, so its window may hold a call fewer than the weeks before.
    const rule = await createRule(sut, { ...anomaly, operator: 'GT' });
    await sut.lumen.services.alerts.engine.evaluateNow();
    expect(await recordsOf(sut, rule.id)).toEqual([]);
    await sut.gql<IngestPayload>(INGEST_LOGS, {
      logs: Array.from({ length: 60 }, (_, i) =>
        logInput({ appId: 'seasonal', timestamp: new Date(now - 30 * 60_000 + i * 20_000).toISOString() }),
      ),
    });
    await sut.lumen.services.alerts.engine.evaluateNow();
    const [record] = await recordsOf(sut, rule.id);
    expect(record).toMatchObject({ status: 'FIRING', threshold: '3' });
    expect(Number(record!.value)).toBeGreaterThanOrEqual(60);
  });

  it('refuses EQ, a k of 0 and a window over a week', async () => {
    const create = (input: Record<string, unknown>) =>
      sut.gql(`mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`, { input });
    for (const [input, field] of [
      [{ ...anomaly, operator: 'EQ' }, 'input.operator'],
      [{ ...anomaly, threshold: '0' }, 'input.threshold'],
      [{ ...anomaly, windowMinutes: 7 * 1440 + 1 }, 'input.windowMinutes'],
    ] as const) {
      expect((await create(input)).errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
