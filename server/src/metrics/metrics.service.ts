import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { badUserInput } from '../graphql/errors.js';
import { normalizeDecimal } from '../graphql/scalars.js';
import { checkRange, type TimeRange } from '../graphql/time-range.js';
import type { MetricsFilter } from '../logs/log.types.js';
import { logConditions } from '../logs/log.where.js';
import type { RollupDim } from './metric-rollup.entity.js';
import { DISPLAY_BOUNDS, displayBuckets, LatencyHistogram } from './metrics.histogram.js';
import {
  cleanFilter,
  cover,
  DIMENSION_FIELD,
  FILTER_COLUMNS,
  rollupDimFor,
  splitTail,
  usesRollups,
  type Coverage,
  type FilterField,
  type Span,
} from './metrics.plan.js';
import { SUM_COLUMNS } from './metrics.rollups.js';
import { generationMsSql, generationTokensSql, outputTokensPerSecond } from './metrics.throughput.js';
import { bucketStarts, checkTimeZone, chooseInterval, MAX_POINTS } from './metrics.time-buckets.js';
import { type MetricsDimension, type MetricsGroup, type MetricsInterval, type MetricsPoint, type MetricsSummary } from './metrics.types.js';

export interface MetricsOptions {
  /** Ranges estimated to hold at most this many logs are read raw, with exact percentiles. */
  rawMaxRows: number;
}

export const MAX_BREAKDOWN_LIMIT = 1_000;
const HOUR = 3_600_000;
const ESTIMATE_TTL_MS = 2_000;
const ESTIMATE_CACHE_SIZE = 256;

interface Aggregate {
  requests: number;
  errors: number;
  latency_count: number;
  latency_sum: number;
  input_tokens: number;
  output_tokens: number;
  cost: string;
  ttft_count: number;
  ttft_sum: number;
  generation_tokens: number;
  generation_ms: number;
  pcts?: (number | null)[] | null;
  ttft_pcts?: (number | null)[] | null;
  histogram?: LatencyHistogram;
  ttftHistogram?: LatencyHistogram;
}

type Grouping = { kind: 'none' } | { kind: 'point'; bounds: Date[] } | { kind: 'key'; field: FilterField; limit: number };

type HistogramColumn = 'hist' | 'ttft_hist' | 'raw_latency' | 'raw_ttft';

const PERCENTILES = [0.5, 0.95, 0.99];
const TTFT_PERCENTILES = [0.5, 0.95];
const AGGREGATE_COLUMNS = `group_key, ${SUM_COLUMNS.join(', ')}`;
// Sums read back as float8 (exact for whole numbers up to 2^53), cost as text (decimal).
const SUMS_AS_NUMBERS = SUM_COLUMNS.map((column) =>
  column === 'cost' ? 'sum(cost)::text as cost' : `sum(${column})::float8 as ${column}`,
).join(', ');
const DIM_COLUMNS: Record<RollupDim, FilterField[]> = {
  all: [],
  app: ['appId'],
  provider: ['provider'],
  model: ['model'],
  user: ['userId'],
  app_model: ['appId', 'provider', 'model'],
};

/**
 * The one place metrics are computed: the GraphQL resolvers, the live feed and the alert engine all
 * call these methods, and no other code holds a metric's SQL.
 *
 * Reads are planned (metrics.plan.ts): a range whose raw rows are few (at most `rawMaxRows`, estimated
 * from the hour rollups) or that holds no whole UTC hour is read from app_log with exact
 * percentile_cont; larger ranges read whole days and hours from metric_rollup, the edges from app_log
 * and what the compactor has not folded in yet from metric_pending, all in one statement (one snapshot).
 * Counts, tokens and costs are exact either way; rollup percentiles are within 1 % (metrics.histogram.ts).
 */
export class MetricsService {
  private readonly estimates = new Map<string, { at: number; rows: Promise<number> }>();

  constructor(
    private readonly sql: Sql,
    private readonly options: MetricsOptions,
  ) {}

  /**
   * Metrics of the logs in [range.from, range.to) that match the filter. The alert engine's entry point:
   * e.g. `summary({ from: fiveMinutesAgo, to: now }, { model: 'gpt-4o' }).latencyP95`.
   */
  async summary(range: TimeRange, filter?: MetricsFilter | null): Promise<MetricsSummary> {
    checkRange(range);
    const groups = await this.aggregate([range.from.getTime(), range.to.getTime()], cleanFilter(filter), { kind: 'none' });
    return toSummary(groups.get('0'));
  }

  /**
   * One point per bucket of `interval` (null: the narrowest keeping the series at 200 points or fewer),
   * aligned in the IANA `timezone` (default UTC), zero-filled, oldest first.
   */
  async timeSeries(
    range: TimeRange,
    interval: MetricsInterval | null | undefined,
    filter?: MetricsFilter | null,
    timezone?: string | null,
  ): Promise<MetricsPoint[]> {
    checkRange(range);
    const zone = checkTimeZone(timezone);
    const chosen = interval ?? chooseInterval(range, zone);
    const starts = bucketStarts(range, chosen, zone);
    if (!starts)
      throw badUserInput('interval', `${chosen} buckets over this range would be more than ${MAX_POINTS} points; choose a longer interval`);
    const bounds = [range.from, ...starts.slice(1)];
    const boundaries = [...bounds.map((date) => date.getTime()), range.to.getTime()];
    const groups = await this.aggregate(boundaries, cleanFilter(filter), { kind: 'point', bounds });
    return starts.map((bucket, i) => ({ bucket, ...toSummary(groups.get(String(i + 1))) }));
  }

  /**
   * Metrics per model, app, user or provider, most requests first (ties by key), at most `limit` groups;
   * with `withRemainder`, one more group (key null, remainder true) sums the rest when there is a rest.
   */
  async breakdown(
    range: TimeRange,
    by: MetricsDimension,
    filter?: MetricsFilter | null,
    limit = 10,
    withRemainder = false,
  ): Promise<MetricsGroup[]> {
    checkRange(range);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BREAKDOWN_LIMIT)
      throw badUserInput('limit', `must be between 1 and ${MAX_BREAKDOWN_LIMIT}`);
    const field = DIMENSION_FIELD[by];
    const groups = await this.aggregate([range.from.getTime(), range.to.getTime()], cleanFilter(filter), { kind: 'key', field, limit });
    const result: MetricsGroup[] = [];
    let rest: MetricsGroup | undefined;
    for (const [groupKey, aggregate] of groups) {
      if (groupKey === '0') rest = { key: null, remainder: true, ...toSummary(aggregate) };
      else
        result.push({ key: field === 'userId' && groupKey === '1' ? null : groupKey.slice(1), remainder: false, ...toSummary(aggregate) });
    }
    result.sort((a, b) => b.requestCount - a.requestCount || compareKeys(a.key, b.key));
    if (withRemainder && rest && rest.requestCount > 0) result.push(rest);
    return result;
  }

  /**
   * The calls of a range and filter by latency, in the dashboard's log-spaced bars (metrics.histogram.ts):
   * from the merged rollup histograms when the range is read from rollups, else counted exactly from the logs.
   */
  async latencyHistogram(
    range: TimeRange,
    filter?: MetricsFilter | null,
  ): Promise<{ lowerMs: number; upperMs: number | null; count: number }[]> {
    checkRange(range);
    const clean = cleanFilter(filter);
    const boundaries = [range.from.getTime(), range.to.getTime()];
    const groups = await this.aggregate(boundaries, clean, { kind: 'none' }, true);
    const merged = groups.get('0')?.histogram;
    if (merged) return displayBuckets(merged);
    // Read raw: each call counted in its bar exactly (width_bucket counts the bars' lower bounds <= latency).
    const params = new SqlParams();
    const rows = await this.sql.query<{ bar: number; count: string }>(
      `select width_bucket(l.latency_ms, ${params.add(DISPLAY_BOUNDS.slice(1))}::int[]) as bar, count(*)::text as count from app_log l
        where ${filterConditions(clean, 'l', params)} and ${spans('l.ts', [{ from: boundaries[0]!, to: boundaries[1]! }], params)}
          and l.latency_ms is not null
        group by 1`,
      params.values,
    );
    const counts = new Map(rows.map((row) => [Number(row.bar), Number(row.count)]));
    return DISPLAY_BOUNDS.map((lowerMs, i) => ({ lowerMs, upperMs: DISPLAY_BOUNDS[i + 1] ?? null, count: counts.get(i) ?? 0 }));
  }

  private async aggregate(
    boundaries: number[],
    filter: MetricsFilter,
    grouping: Grouping,
    /** Only when the plan reads rollups: otherwise answers no groups and runs nothing. */
    onlyHybrid = false,
  ): Promise<Map<string, Aggregate>> {
    const coverage = cover(boundaries);
    const dim = rollupDimFor(filter, grouping.kind === 'key' ? grouping.field : undefined);
    const hybrid =
      dim !== null &&
      usesRollups(coverage) &&
      (await this.estimateRows(boundaries[0]!, boundaries[boundaries.length - 1]!)) > this.options.rawMaxRows;
    if (onlyHybrid && !hybrid) return new Map();
    const params = new SqlParams();
    const text = hybrid
      ? hybridSql(splitTail(coverage, boundaries), filter, dim, grouping, params)
      : rawSql(boundaries, filter, grouping, params);
    const rows = await this.sql.query<Aggregate & { group_key: string | number } & Partial<Record<HistogramColumn, Buffer | null>>>(
      text,
      params.values,
    );
    const groups = new Map<string, Aggregate>();
    for (const row of rows) {
      const group: Aggregate = { ...row };
      if (hybrid) {
        // Hybrid reads return each group's rollup histograms and its edges' raw values (see hybridSql).
        group.histogram = new LatencyHistogram();
        group.ttftHistogram = new LatencyHistogram();
        if (row.hist) group.histogram.addEncoded(row.hist);
        if (row.raw_latency) group.histogram.addValues(row.raw_latency);
        if (row.ttft_hist) group.ttftHistogram.addEncoded(row.ttft_hist);
        if (row.raw_ttft) group.ttftHistogram.addValues(row.raw_ttft);
      }
      groups.set(String(row.group_key), group);
    }
    return groups;
  }

  /**
   * An upper bound of the logs in a range, from the hour rollups; 1 (above a threshold of 0) when
   * METRICS_RAW_MAX_ROWS is 0. Kept for ESTIMATE_TTL_MS per range of whole hours, so that a dashboard's
   * queries over one range make one round trip for it, not one each: an estimate only chooses between
   * two exact-count plans, and the rollups it reads trail ingestion by a compaction interval anyway.
   */
  private estimateRows(from: number, to: number): Promise<number> {
    if (this.options.rawMaxRows <= 0) return Promise.resolve(1);
    // The hour buckets starting before `to` are the ones starting before `to` rounded up to an hour.
    const fromHour = Math.floor(from / HOUR) * HOUR;
    const toHour = Math.ceil(to / HOUR) * HOUR;
    const key = `${fromHour}:${toHour}`;
    const now = Date.now();
    const cached = this.estimates.get(key);
    if (cached && now - cached.at < ESTIMATE_TTL_MS) return cached.rows;
    if (this.estimates.size >= ESTIMATE_CACHE_SIZE) this.estimates.clear();
    const rows = this.sql
      .query<{ n: number }>(
        `select coalesce(sum(requests), 0)::float8 as n from metric_rollup
          where grain = 'hour' and dim = 'all' and app_id = '' and provider = '' and model = '' and user_id = '' and bucket >= $1 and bucket < $2`,
        [new Date(fromHour), new Date(toHour)],
      )
      .then(([row]) => row!.n);
    const entry = { at: now, rows };
    this.estimates.set(key, entry);
    rows.catch(() => {
      if (this.estimates.get(key) === entry) this.estimates.delete(key);
    });
    return rows;
  }
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function spans(column: string, list: Span[], params: SqlParams): string {
  return list
    .map((span) => `(${column} >= ${params.add(new Date(span.from))} and ${column} < ${params.add(new Date(span.to))})`)
    .join(' or ');
}

/**
 * The SQL for a row's group_key (a row of app_log, metric_pending or metric_rollup under `alias`): '0'
 * for a summary, the bucket's index from 1 for a series, the dimension's value for a breakdown (then
 * regrouped as '1' || value for the top keys and '0' for the rest).
 */
function rowGroup(grouping: Grouping, alias: string, params: SqlParams, time = `${alias}.ts`): string {
  if (grouping.kind === 'none') return '0';
  if (grouping.kind === 'point') return `width_bucket(${time}, ${params.add(grouping.bounds)}::timestamptz[])`;
  const column = `${alias}.${FILTER_COLUMNS[grouping.field]}`;
  return grouping.field === 'userId' ? `coalesce(${column}, '')` : column;
}

function filterConditions(filter: MetricsFilter, alias: string, params: SqlParams): string {
  return ['true', ...logConditions(filter, params, alias)].join(' and ');
}

/**
 * All from app_log, exact: percentile_cont over latencyMs. For a breakdown (as in hybridSql), the top
 * `limit` keys by requests (ties byte-wise) are regrouped as '1' || key and all others as '0', the
 * remainder, which no key can collide with.
 */
function rawSql(boundaries: number[], filter: MetricsFilter, grouping: Grouping, params: SqlParams): string {
  const range = spans('l.ts', [{ from: boundaries[0]!, to: boundaries[boundaries.length - 1]! }], params);
  const src = `select ${rowGroup(grouping, 'l', params)} as group_key, l.status, l.latency_ms, l.input_tokens, l.output_tokens, l.cost,
                        l.time_to_first_token_ms as ttft_ms
                 from app_log l where ${filterConditions(filter, 'l', params)} and ${range}`;
  const regroup =
    grouping.kind === 'key'
      ? `, top as (select group_key from src group by group_key order by count(*) desc, group_key collate "C" limit ${params.add(grouping.limit)}),
         keyed as (select case when group_key in (select group_key from top) then '1' || group_key else '0' end as group_key, status, latency_ms, input_tokens,
                          output_tokens, cost, ttft_ms from src)`
      : '';
  return `with src as (${src})${regroup}
    select group_key, count(*)::float8 as requests, (count(*) filter (where status = 'ERROR'))::float8 as errors,
           count(latency_ms)::float8 as latency_count, coalesce(sum(latency_ms), 0)::float8 as latency_sum,
           coalesce(sum(input_tokens), 0)::float8 as input_tokens, coalesce(sum(output_tokens), 0)::float8 as output_tokens,
           coalesce(sum(cost), 0)::text as cost,
           count(ttft_ms)::float8 as ttft_count, coalesce(sum(ttft_ms), 0)::float8 as ttft_sum,
           coalesce(sum(${generationTokensSql('latency_ms', 'output_tokens')}), 0)::float8 as generation_tokens,
           coalesce(sum(${generationMsSql('latency_ms', 'ttft_ms', 'output_tokens')}), 0)::float8 as generation_ms,
           percentile_cont('{${PERCENTILES.join(',')}}'::float8[]) within group (order by latency_ms) as pcts,
           percentile_cont('{${TTFT_PERCENTILES.join(',')}}'::float8[]) within group (order by ttft_ms) as ttft_pcts
      from ${grouping.kind === 'key' ? 'keyed' : 'src'} group by group_key`;
}

/** Rollup rows for whole days and hours, raw rows for the edges, pending rows not yet folded in. */
function hybridSql(
  { coverage, tail }: { coverage: Coverage; tail: Span | null },
  filter: MetricsFilter,
  dim: RollupDim,
  grouping: Grouping,
  params: SqlParams,
): string {
  const sums = SUM_COLUMNS.join(', ');
  const parts: string[] = [];
  const keys = (Object.keys(FILTER_COLUMNS) as FilterField[]).map((field) => {
    if (!DIM_COLUMNS[dim].includes(field)) return `r.${FILTER_COLUMNS[field]} = ''`;
    const value = filter[field];
    return value != null ? `r.${FILTER_COLUMNS[field]} = ${params.add(value)}` : 'true';
  });
  const rollupRows = (grain: 'day' | 'hour', where: string) =>
    `select ${rowGroup(grouping, 'r', params, 'r.bucket')} as group_key, ${SUM_COLUMNS.map((column) => `r.${column}`).join(', ')},
            r.latency_hist as hist, r.ttft_hist, null::bytea, null::bytea
       from metric_rollup r
      where r.grain = '${grain}' and r.dim = '${dim}' and ${keys.join(' and ')} and ${where}`;
  const rawRows = (where: string) =>
    `select ${rowGroup(grouping, 'l', params)} as group_key, 1 as requests, (l.status = 'ERROR')::int as errors, l.latency_ms,
            l.input_tokens::bigint as input_tokens, l.output_tokens::bigint as output_tokens, l.cost, l.time_to_first_token_ms as ttft_ms
       from app_log l where ${filterConditions(filter, 'l', params)} and ${where}`;
  const pendingRows = (where: string) =>
    `select ${rowGroup(grouping, 'p', params)} as group_key, p.requests::int, p.errors::int, p.latency_ms, p.input_tokens, p.output_tokens, p.cost, p.ttft_ms
       from metric_pending p where ${filterConditions(filter, 'p', params)} and ${where}`;
  for (const grain of ['day', 'hour'] as const) {
    if (coverage[grain].length > 0) parts.push(rollupRows(grain, `(${spans('r.bucket', coverage[grain], params)})`));
  }
  const rows: string[] = [];
  if (coverage.raw.length > 0) rows.push(rawRows(`(${spans('l.ts', coverage.raw, params)})`));
  const rolled = [...coverage.day, ...coverage.hour];
  if (rolled.length > 0) rows.push(pendingRows(`(${spans('p.ts', rolled, params)})`));
  if (tail) {
    // The last hour's minutes up to `to`: its rollup and pending rows when no matching log is stored
    // after `to` in that hour (checked once, in this statement's snapshot), its raw rows otherwise.
    const [start, to, end] = [tail.from, tail.to, tail.from + 3_600_000].map((ms) => params.add(new Date(ms)));
    const later = `exists (select 1 from app_log f where ${filterConditions(filter, 'f', params)} and f.ts >= ${to} and f.ts < ${end})`;
    parts.push(rollupRows('hour', `r.bucket = ${start} and not ${later}`));
    rows.push(pendingRows(`p.ts >= ${start} and p.ts < ${end} and not ${later}`));
    rows.push(rawRows(`l.ts >= ${start} and l.ts < ${to} and ${later}`));
  }
  if (rows.length > 0) {
    // The edges' latencies go to Node as they are (int4 values) and are binned there: binning each row in
    // SQL (lumen_latency_bin, then regrouping by bin) cost about 4 µs a row, most of a 1-day dashboard's
    // time at 1M logs, against well under 1 µs to read and bin it in Node.
    parts.push(`select x.group_key, sum(x.requests)::bigint, sum(x.errors)::bigint, count(x.latency_ms)::bigint,
                       coalesce(sum(x.latency_ms), 0)::bigint, coalesce(sum(x.input_tokens), 0)::bigint,
                       coalesce(sum(x.output_tokens), 0)::bigint, coalesce(sum(x.cost), 0), count(x.ttft_ms)::bigint,
                       coalesce(sum(x.ttft_ms), 0)::bigint, coalesce(sum(${generationTokensSql('x.latency_ms', 'x.output_tokens')}), 0)::bigint,
                       coalesce(sum(${generationMsSql('x.latency_ms', 'x.ttft_ms', 'x.output_tokens')}), 0)::bigint,
                       null::bytea, null::bytea, string_agg(int4send(x.latency_ms), ''::bytea), string_agg(int4send(x.ttft_ms), ''::bytea)
                  from (${rows.join(' union all ')}) x group by x.group_key`);
  }
  // One row per group: exact totals, the group's rollup histograms (latency, TTFT) concatenated into one
  // value each, merged in Node (a histogram may repeat a bin; its counts add up), and the edges' raw values,
  // binned in Node. Decoding bytes there is several times faster than unnesting and regrouping them in SQL.
  const histograms = `string_agg(hist, ''::bytea) as hist, string_agg(ttft_hist, ''::bytea) as ttft_hist,
                      string_agg(raw_latency, ''::bytea) as raw_latency, string_agg(raw_ttft, ''::bytea) as raw_ttft`;
  const head = `with src(${AGGREGATE_COLUMNS}, hist, ttft_hist, raw_latency, raw_ttft) as (${parts.join(' union all ')})`;
  if (grouping.kind !== 'key') return `${head} select group_key, ${SUMS_AS_NUMBERS}, ${histograms} from src group by group_key`;
  // A breakdown first sums each key (a few rows per key and hour become one), then keeps the top keys and
  // regroups the rest as the remainder '0'.
  return `${head},
    per_key as (select group_key, ${SUM_COLUMNS.map((column) => `sum(${column}) as ${column}`).join(', ')}, ${histograms}
                  from src group by group_key),
    top as (select group_key from per_key order by requests desc, group_key collate "C" limit ${params.add(grouping.limit)}),
    keyed as (select case when group_key in (select group_key from top) then '1' || group_key else '0' end as group_key, ${sums},
                     hist, ttft_hist, raw_latency, raw_ttft from per_key)
    select group_key, ${SUMS_AS_NUMBERS}, ${histograms} from keyed group by group_key`;
}

const EMPTY: Aggregate = {
  requests: 0,
  errors: 0,
  latency_count: 0,
  latency_sum: 0,
  input_tokens: 0,
  output_tokens: 0,
  cost: '0',
  ttft_count: 0,
  ttft_sum: 0,
  generation_tokens: 0,
  generation_ms: 0,
};

function toSummary(aggregate: Aggregate = EMPTY): MetricsSummary {
  const { requests, errors } = aggregate;
  let percentiles: (number | null)[];
  if (aggregate.pcts !== undefined) percentiles = aggregate.pcts ?? PERCENTILES.map(() => null);
  else {
    const histogram = aggregate.histogram ?? new LatencyHistogram();
    percentiles = PERCENTILES.map((p) => histogram.percentile(p));
  }
  let ttftPercentiles: (number | null)[];
  if (aggregate.ttft_pcts !== undefined) ttftPercentiles = aggregate.ttft_pcts ?? TTFT_PERCENTILES.map(() => null);
  else {
    const histogram = aggregate.ttftHistogram ?? new LatencyHistogram();
    ttftPercentiles = TTFT_PERCENTILES.map((p) => histogram.percentile(p));
  }
  return {
    requestCount: requests,
    successCount: requests - errors,
    errorCount: errors,
    successRate: requests > 0 ? (requests - errors) / requests : null,
    errorRate: requests > 0 ? errors / requests : null,
    latencyAvg: aggregate.latency_count > 0 ? aggregate.latency_sum / aggregate.latency_count : null,
    latencyP50: percentiles[0] ?? null,
    latencyP95: percentiles[1] ?? null,
    latencyP99: percentiles[2] ?? null,
    inputTokens: aggregate.input_tokens,
    outputTokens: aggregate.output_tokens,
    totalTokens: aggregate.input_tokens + aggregate.output_tokens,
    totalCost: normalizeDecimal(aggregate.cost),
    ttftCount: aggregate.ttft_count,
    ttftAvg: aggregate.ttft_count > 0 ? aggregate.ttft_sum / aggregate.ttft_count : null,
    ttftP50: ttftPercentiles[0] ?? null,
    ttftP95: ttftPercentiles[1] ?? null,
    outputTokensPerSecond: outputTokensPerSecond(aggregate.generation_tokens, aggregate.generation_ms),
  };
}
