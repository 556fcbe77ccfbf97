import { mulberry32 } from '@lumen/testkit';
import { Decimal } from 'decimal.js';
import { expect } from 'vitest';

import type { MetricsSummary } from '../metrics/metrics.types.js';
import { INGEST_LOGS, type IngestPayload } from './factories.js';
import type { TestLumen } from './lumen.js';

/**
 * A deterministic fixture of model calls over four UTC days around the 2026 US daylight-saving change
 * (2026-03-08), with a quiet gap, errors, missing latencies, unpriced calls and calls without a user;
 * and the metrics computed independently from it, in plain TypeScript.
 */
export interface FixtureLog {
  eventId: string;
  timestamp: string;
  appId: string;
  provider: string;
  model: string;
  userId: string | null;
  status: 'SUCCESS' | 'ERROR';
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cost: string | null;
}

export const FIXTURE_FROM = new Date('2026-03-06T00:00:00Z');
export const FIXTURE_TO = new Date('2026-03-10T00:00:00Z');
/** No call falls in this range. */
export const QUIET = { from: new Date('2026-03-07T10:00:00Z'), to: new Date('2026-03-07T13:00:00Z') };

const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4'],
  ['qwen', 'qwen-max'],
  ['acme', 'acme-1'],
] as const;
const APPS = ['chat', 'search', 'agent'];

export function metricsFixture(count = 1200, seed = 7): FixtureLog[] {
  const next = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const span = FIXTURE_TO.getTime() - FIXTURE_FROM.getTime();
  const logs: FixtureLog[] = [];
  while (logs.length < count) {
    const ts = FIXTURE_FROM.getTime() + Math.floor(next() * span);
    if (ts >= QUIET.from.getTime() && ts < QUIET.to.getTime()) continue;
    const [provider, model] = pick(MODELS);
    // Skewed so that breakdowns have a clear order: model and app weights differ.
    const latency = next() < 0.05 ? null : Math.round(Math.exp(4 + next() * 5.5));
    // Derived without drawing, so the other fields stay as they were: two calls in three stream (some of
    // them with a first token as late as the whole call), and a few report a TTFT without a latency.
    const n = logs.length;
    const ttft =
      n % 3 === 0 ? null : latency === null ? 40 + (n % 500) : n % 11 === 0 ? latency : Math.floor((latency * ((n % 9) + 1)) / 10);
    logs.push({
      eventId: `fixture-${seed}-${logs.length}`,
      timestamp: new Date(ts).toISOString(),
      appId: next() < 0.5 ? APPS[0]! : pick(APPS),
      provider,
      model: next() < 0.3 ? 'gpt-4o' : model,
      userId: next() < 0.1 ? null : `user-${Math.floor(next() * next() * 30)}`,
      status: next() < 0.12 ? 'ERROR' : 'SUCCESS',
      latencyMs: latency,
      timeToFirstTokenMs: ttft,
      inputTokens: Math.floor(next() * 4000),
      outputTokens: Math.floor(next() * 800),
      cost: provider === 'acme' ? null : new Decimal(Math.floor(next() * 1e8)).div(1e10).toFixed(),
    });
  }
  // Make gpt-4o's provider consistent: the extra gpt-4o picks above came from other providers' draws.
  return logs.map((log) => (log.model === 'gpt-4o' ? { ...log, provider: 'openai', cost: log.cost ?? '0.0001' } : log));
}

export async function ingestFixture(sut: TestLumen, logs: FixtureLog[], batch = 250): Promise<void> {
  for (let i = 0; i < logs.length; i += batch) {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs: logs.slice(i, i + batch) });
    if (!result.data || result.data.ingestLogs.rejected.length > 0)
      throw new Error(`ingest failed: ${JSON.stringify(result.errors ?? result.data)}`);
  }
}

export interface FixtureFilter {
  appId?: string;
  model?: string;
  provider?: string;
  userId?: string;
}

export function matching(logs: FixtureLog[], range: { from: Date; to: Date }, filter: FixtureFilter = {}): FixtureLog[] {
  return logs.filter((log) => {
    const ts = Date.parse(log.timestamp);
    return (
      ts >= range.from.getTime() &&
      ts < range.to.getTime() &&
      (filter.appId === undefined || log.appId === filter.appId) &&
      (filter.model === undefined || log.model === filter.model) &&
      (filter.provider === undefined || log.provider === filter.provider) &&
      (filter.userId === undefined || log.userId === filter.userId)
    );
  });
}

/** percentile_cont: linear interpolation between the order statistics around p * (n - 1). */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (rank - low) * (sorted[high]! - sorted[low]!);
}

export function expectedSummary(logs: FixtureLog[]): MetricsSummary {
  const errors = logs.filter((log) => log.status === 'ERROR').length;
  const latencies = logs.map((log) => log.latencyMs).filter((l): l is number => l !== null);
  const input = logs.reduce((sum, log) => sum + log.inputTokens, 0);
  const output = logs.reduce((sum, log) => sum + log.outputTokens, 0);
  const n = logs.length;
  const ttfts = logs.map((log) => log.timeToFirstTokenMs).filter((t): t is number => t !== null);
  let generationTokens = 0;
  let generationMs = 0;
  for (const log of logs) {
    if (log.latencyMs === null || log.latencyMs <= 0 || log.outputTokens <= 0) continue;
    const ttft = log.timeToFirstTokenMs;
    generationTokens += log.outputTokens;
    generationMs += ttft !== null && ttft < log.latencyMs ? log.latencyMs - ttft : log.latencyMs;
  }
  return {
    requestCount: n,
    successCount: n - errors,
    errorCount: errors,
    successRate: n ? (n - errors) / n : null,
    errorRate: n ? errors / n : null,
    latencyAvg: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : null,
    latencyP50: percentileCont(latencies, 0.5),
    latencyP95: percentileCont(latencies, 0.95),
    latencyP99: percentileCont(latencies, 0.99),
    inputTokens: input,
    outputTokens: output,
    totalTokens: input + output,
    totalCost: logs.reduce((sum, log) => sum.plus(log.cost ?? 0), new Decimal(0)).toFixed(),
    ttftCount: ttfts.length,
    ttftAvg: ttfts.length ? ttfts.reduce((a, b) => a + b, 0) / ttfts.length : null,
    ttftP50: percentileCont(ttfts, 0.5),
    ttftP95: percentileCont(ttfts, 0.95),
    outputTokensPerSecond: generationMs > 0 ? (generationTokens * 1000) / generationMs : null,
  };
}

const PERCENTILE_FIELDS = ['latencyP50', 'latencyP95', 'latencyP99', 'ttftP50', 'ttftP95'] as const;
const CLOSE_FIELDS = ['latencyAvg', 'successRate', 'errorRate', 'ttftAvg', 'outputTokensPerSecond'] as const;

/**
 * Counts, rates, tokens and cost must match exactly; percentiles exactly (up to float rounding) on the
 * raw path and within 1 % on the rollup path.
 */
export function expectSummary(actual: MetricsSummary, expected: MetricsSummary, percentiles: 'exact' | 'within1pct'): void {
  const inexact = [...PERCENTILE_FIELDS, ...CLOSE_FIELDS];
  const exactPart = (summary: MetricsSummary) =>
    Object.fromEntries(Object.entries(summary).filter(([field]) => !(inexact as readonly string[]).includes(field)));
  expect(exactPart(actual)).toEqual(exactPart(expected));
  for (const field of CLOSE_FIELDS) {
    const value = expected[field];
    if (value === null) expect(actual[field], field).toBeNull();
    else expect(actual[field], field).toBeCloseTo(value, 9);
  }
  for (const field of PERCENTILE_FIELDS) {
    const value = expected[field];
    if (value === null) {
      expect(actual[field], field).toBeNull();
      continue;
    }
    const error = Math.abs(actual[field]! - value) / Math.max(value, 1e-9);
    expect(error, `${field}: ${actual[field]} vs exact ${value}`).toBeLessThanOrEqual(percentiles === 'exact' ? 1e-9 : 0.01);
  }
}

export const SUMMARY_FIELDS = `requestCount successCount errorCount successRate errorRate latencyAvg latencyP50 latencyP95 latencyP99
  inputTokens outputTokens totalTokens totalCost ttftCount ttftAvg ttftP50 ttftP95 outputTokensPerSecond`;
