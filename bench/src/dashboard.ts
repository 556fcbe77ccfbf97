import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

import { benchLog, copyLine, random } from './dataset.js';
import { copyRows } from './ingest.js';
import { gql, ROOT, type BenchServer } from './server.js';

const DAY = 86_400_000;
const SUMMARY_FIELDS = 'requestCount errorCount latencyAvg latencyP50 latencyP95 latencyP99 inputTokens outputTokens totalCost';
const DASHBOARD = {
  summary: `query($range: TimeRangeInput!) { metricsSummary(range: $range) { ${SUMMARY_FIELDS} } }`,
  series: `query($range: TimeRangeInput!) { metricsTimeSeries(range: $range) { bucket requestCount errorRate latencyP50 latencyP95 totalTokens totalCost } }`,
  breakdown: `query($range: TimeRangeInput!) { metricsBreakdown(range: $range, by: MODEL, limit: 10, withRemainder: true) { key ${SUMMARY_FIELDS} } }`,
};

export interface Percentiles {
  p50: number;
  p95: number;
  samples: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), samples: values.length };
}

/**
 * Loads `count` logs spread evenly over [from, to) with COPY (in time order, `streams` connections, each
 * a slice of time), then rebuilds the rollups in SQL and analyzes the tables.
 */
export async function loadDataset(databaseUrl: string, count: number, from: number, to: number, seed: number, prefix: string, streams = 2) {
  const started = performance.now();
  const per = Math.ceil(count / streams);
  const parts = Array.from({ length: streams }, (_, s) => ({
    *[Symbol.iterator]() {
      const next = random(seed + s);
      const sliceFrom = from + ((to - from) / streams) * s;
      const sliceMs = (to - from) / streams;
      const n = Math.min(per, count - s * per);
      for (let i = 0; i < n; i++) yield copyLine(benchLog(next, s * per + i, prefix, Math.floor(sliceFrom + (i / n) * sliceMs), 120));
    },
  }));
  const copied = await copyRows(databaseUrl, parts);
  const rebuildStarted = performance.now();
  execFileSync(process.execPath, [path.join(ROOT, 'server/dist/app/rebuild-rollups.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  await withClient(databaseUrl, (client) => client.query('vacuum analyze app_log, metric_rollup'));
  return {
    copyRowsPerSecond: copied.rowsPerSecond,
    copySeconds: copied.seconds,
    rebuildSeconds,
    totalSeconds: (performance.now() - started) / 1000,
  };
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface DashboardResult {
  days: number;
  load: Percentiles;
  queries: Record<keyof typeof DASHBOARD, Percentiles>;
  baseline: Percentiles;
  percentileError: { p50: number; p95: number; p99: number; max: number };
  countsExact: boolean;
}

interface Summary {
  requestCount: number;
  errorCount: number;
  latencyP50: number;
  latencyP95: number;
  latencyP99: number;
  inputTokens: number;
  outputTokens: number;
  totalCost: string;
}

/**
 * The dashboard's three queries in parallel (summary, auto-interval series, breakdown by model) over the
 * last `days`, `iterations` times; beside it the exact raw percentile_cont summary of the same range.
 */
export async function measureDashboard(
  server: BenchServer,
  databaseUrl: string,
  days: number,
  iterations: number,
  baselineIterations: number,
): Promise<DashboardResult> {
  const loads: number[] = [];
  const perQuery: Record<string, number[]> = { summary: [], series: [], breakdown: [] };
  let range = { from: new Date(), to: new Date() };
  let summary: Summary | undefined;
  for (let i = -2; i < iterations; i++) {
    const to = Date.now();
    range = { from: new Date(to - days * DAY), to: new Date(to) };
    const started = performance.now();
    const results = await Promise.all(
      (Object.keys(DASHBOARD) as (keyof typeof DASHBOARD)[]).map(async (name) => {
        const queryStarted = performance.now();
        const data = await gql<Record<string, unknown>>(server.url, server.adminKey, DASHBOARD[name], { range });
        if (i >= 0) perQuery[name]!.push(performance.now() - queryStarted);
        return data;
      }),
    );
    if (i >= 0) loads.push(performance.now() - started);
    summary = results[0]!.metricsSummary as Summary;
  }
  const baselineTimes: number[] = [];
  let exact: Record<string, string | number[] | number> = {};
  await withClient(databaseUrl, async (client) => {
    for (let i = 0; i < baselineIterations; i++) {
      const started = performance.now();
      const result = await client.query(
        `select count(*)::float8 as requests, (count(*) filter (where status = 'ERROR'))::float8 as errors,
                coalesce(sum(input_tokens), 0)::float8 as input_tokens, coalesce(sum(output_tokens), 0)::float8 as output_tokens,
                coalesce(sum(cost), 0)::text as cost, avg(latency_ms)::float8 as latency_avg,
                percentile_cont('{0.5,0.95,0.99}'::float8[]) within group (order by latency_ms) as pcts
           from app_log where ts >= $1 and ts < $2`,
        [range.from, range.to],
      );
      baselineTimes.push(performance.now() - started);
      exact = result.rows[0];
    }
  });
  const pcts = exact.pcts as number[];
  const error = (value: number, wanted: number) => Math.abs(value - wanted) / wanted;
  const percentileError = {
    p50: error(summary!.latencyP50, pcts[0]!),
    p95: error(summary!.latencyP95, pcts[1]!),
    p99: error(summary!.latencyP99, pcts[2]!),
    max: 0,
  };
  percentileError.max = Math.max(percentileError.p50, percentileError.p95, percentileError.p99);
  const normalize = (text: string) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
  const countsExact =
    summary!.requestCount === exact.requests &&
    summary!.errorCount === exact.errors &&
    summary!.inputTokens === exact.input_tokens &&
    summary!.outputTokens === exact.output_tokens &&
    summary!.totalCost === normalize(exact.cost as string);
  return {
    days,
    load: percentiles(loads),
    queries: {
      summary: percentiles(perQuery.summary!),
      series: percentiles(perQuery.series!),
      breakdown: percentiles(perQuery.breakdown!),
    },
    baseline: percentiles(baselineTimes),
    percentileError,
    countsExact,
  };
}
