import { SqlParams } from '../db/sql-params.js';
import type { SqlQuery } from '../db/sql.js';
import { badUserInput } from '../graphql/errors.js';
import type { TimeRange } from '../graphql/time-range.js';
import { whereClause } from '../logs/log.where.js';
import { FeedbackInterval, type FeedbackCounts, type FeedbackGroup, type FeedbackPoint, type FeedbackStats } from './feedback.types.js';
import { feedbackConditions, type FeedbackConditions } from './feedback.where.js';

/** The one definition of feedback counts; statistics, the series and the alert metric all select these. */
const COUNT_COLUMNS = `count(*)::int as total,
  (count(*) filter (where f.rating = 'POSITIVE'))::int as positive,
  (count(*) filter (where f.rating = 'NEGATIVE'))::int as negative,
  count(f.score)::int as scored,
  avg(f.score)::float8 as average_score,
  (count(*) filter (where f.status = 'OPEN'))::int as open`;

interface CountRow {
  total: number;
  positive: number;
  negative: number;
  scored: number;
  average_score: number | null;
  open: number;
}

export type FeedbackTotals = FeedbackCounts & { openCount: number; resolvedCount: number };

// Enough buckets for the longest range checkRange allows, by day; an hourly series that long is a mistake.
const MAX_BUCKETS = 4000;
const BUCKET_MS: Record<FeedbackInterval, number> = { HOUR: 3_600_000, DAY: 86_400_000 };

function fromClause(conditions: FeedbackConditions, params: SqlParams): string {
  return `from user_feedback f left join app_log l on l.id = f.log_id ${whereClause(feedbackConditions(conditions, params).sql)}`;
}

/** Counts over the feedback received in [range.from, range.to) that matches the conditions. */
export async function countFeedback(query: SqlQuery, range: TimeRange, conditions: FeedbackConditions): Promise<FeedbackTotals> {
  const params = new SqlParams();
  const [row] = await query<CountRow>(`select ${COUNT_COLUMNS} ${fromClause({ ...conditions, ...range }, params)}`, params.values);
  return totals(row!);
}

/** Totals, breakdowns by category, model (of the linked log) and app, and a zero-filled UTC series. */
export async function feedbackStats(
  query: SqlQuery,
  range: TimeRange,
  conditions: FeedbackConditions,
  interval: FeedbackInterval | null | undefined,
): Promise<FeedbackStats> {
  const width = interval ?? defaultInterval(range);
  checkBucketCount(range, width);
  const scoped = { ...conditions, ...range };

  // One scan for the totals and the four breakdowns; grouping() tells which set a row belongs to.
  const groupParams = new SqlParams();
  const groups = await query<CountRow & { by: 'total' | 'category' | 'model' | 'app' | 'user'; key: string | null }>(
    `select case when grouping(f.category) = 0 then 'category' when grouping(l.model) = 0 then 'model'
                 when grouping(f.app_id) = 0 then 'app' when grouping(f.user_id) = 0 then 'user' else 'total' end as by,
            coalesce(f.category, l.model, f.app_id, f.user_id) as key, ${COUNT_COLUMNS}
       ${fromClause(scoped, groupParams)}
      group by grouping sets ((), (f.category), (l.model), (f.app_id), (f.user_id))`,
    groupParams.values,
  );

  const seriesParams = new SqlParams();
  const unit = seriesParams.add(width.toLowerCase());
  const series = await query<CountRow & { bucket: Date }>(
    `with buckets as (
       select b at time zone 'UTC' as bucket
         from generate_series(date_trunc(${unit}, ${seriesParams.add(range.from)}::timestamptz at time zone 'UTC'),
                              ${seriesParams.add(range.to)}::timestamptz at time zone 'UTC' - interval '1 microsecond',
                              ${seriesParams.add(`1 ${width.toLowerCase()}`)}::interval) as b
     ), counted as (
       select date_trunc(${unit}, f.created_at at time zone 'UTC') at time zone 'UTC' as bucket, ${COUNT_COLUMNS}
         ${fromClause(scoped, seriesParams)}
        group by 1
     )
     select buckets.bucket, coalesce(c.total, 0) as total, coalesce(c.positive, 0) as positive, coalesce(c.negative, 0) as negative,
            coalesce(c.scored, 0) as scored, c.average_score, coalesce(c.open, 0) as open
       from buckets left join counted c on c.bucket = buckets.bucket
      order by buckets.bucket`,
    seriesParams.values,
  );

  const grouped = (by: string): FeedbackGroup[] =>
    groups
      .filter((row) => row.by === by)
      .map((row) => ({ key: row.key, ...counts(row) }))
      .sort((a, b) => b.totalCount - a.totalCount || compareKeys(a.key, b.key));
  const total = groups.find((row) => row.by === 'total');
  return {
    ...totals(total ?? emptyRow()),
    byCategory: grouped('category'),
    byModel: grouped('model'),
    byApp: grouped('app'),
    byUser: grouped('user'),
    interval: width,
    timeSeries: series.map((row): FeedbackPoint => ({ bucket: row.bucket, ...counts(row) })),
  };
}

function defaultInterval(range: TimeRange): FeedbackInterval {
  return range.to.getTime() - range.from.getTime() <= 3 * BUCKET_MS.DAY ? FeedbackInterval.HOUR : FeedbackInterval.DAY;
}

function checkBucketCount(range: TimeRange, interval: FeedbackInterval): void {
  const width = BUCKET_MS[interval];
  const buckets = Math.ceil((range.to.getTime() - Math.floor(range.from.getTime() / width) * width) / width);
  if (buckets > MAX_BUCKETS) {
    throw badUserInput(
      'interval',
      `${interval} over this range gives ${buckets} buckets, more than ${MAX_BUCKETS}; choose a wider interval or a shorter range`,
    );
  }
}

function counts(row: CountRow): FeedbackCounts {
  return {
    totalCount: row.total,
    positiveCount: row.positive,
    negativeCount: row.negative,
    positiveRate: row.total > 0 ? row.positive / row.total : null,
    negativeRate: row.total > 0 ? row.negative / row.total : null,
    scoredCount: row.scored,
    averageScore: row.average_score,
  };
}

function totals(row: CountRow): FeedbackTotals {
  return { ...counts(row), openCount: row.open, resolvedCount: row.total - row.open };
}

function emptyRow(): CountRow {
  return { total: 0, positive: 0, negative: 0, scored: 0, average_score: null, open: 0 };
}

// Groups without a key (no category, no linked log) come after those of the same size with one.
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
