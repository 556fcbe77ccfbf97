import type { Logger } from 'pino';

import type { RepricedLog } from '../costs/cost.service.js';
import { Prepared, type Sql, type SqlQuery } from '../db/sql.js';
import { PeriodicJob } from '../jobs/periodic-job.js';
import { LogStatus } from '../logs/log-status.types.js';
import type { StoredLog } from '../logs/log.ingest.js';
import { generationMsSql, generationTokensSql } from './metrics.throughput.js';

/** How often the compactor runs, and how much it moves at a time. */
export interface RollupOptions {
  intervalMs: number;
  /** Pending rows moved per compaction statement. */
  batchSize?: number;
}

// Arbitrary but fixed: the advisory lock that makes one compactor (or rebuild) run at a time.
const COMPACTOR_LOCK = 7_461_234_001;
const PENDING_COLUMNS = 'ts, app_id, provider, model, user_id, requests, errors, latency_ms, input_tokens, output_tokens, cost, ttft_ms';

/**
 * The upsert shared by compaction and rebuild: `source` yields rows with PENDING_COLUMNS. Each row is
 * counted in every slice (all, app, provider, model, user, app+provider+model) at the hour grain, and the
 * day grain is summed from those hours. Latency and TTFT go to their histogram bins (lumen_latency_bin).
 * Keys are compared byte-wise (collate "C"): sorting text by the database's locale would triple the cost.
 */
export function rollupUpsertSql(source: string): string {
  return `with ${rollupCtes(source)} ${ROLLUP_UPSERT}`;
}

/**
 * Each row of `alias` as one or two histogram entries: kind 1 is its latency bin and carries all its
 * sums; kind 2, only for rows with a TTFT, is its TTFT bin and carries the TTFT sums. Rows without a TTFT
 * (most non-streaming calls) cost no second entry. Measured on PostgreSQL 15 (2 shared cores): rebuilding
 * 300k logs took a median 21.0 s with two thirds of them streamed, against 15.4 s with none streamed
 * (3 runs each), so a streamed log costs the compactor about 1.5 times a plain one.
 */
export function histogramKinds(alias: string): string {
  return `cross join lateral (select 1 as kind, lumen_latency_bin(${alias}.latency_ms) as bin
                              union all select 2, lumen_latency_bin(${alias}.ttft_ms) where ${alias}.ttft_ms is not null) h`;
}

/** The sums of rows of `alias` (PENDING_COLUMNS) grouped by histogram kind and bin (see histogramKinds). */
export function binnedSums(alias: string): string {
  const first = (expression: string) => `coalesce(sum(${expression}) filter (where h.kind = 1), 0)`;
  const s = alias;
  return `${first(`${s}.requests`)}::bigint as requests, ${first(`${s}.errors`)}::bigint as errors,
          (count(${s}.latency_ms) filter (where h.kind = 1))::bigint as latency_count, ${first(`${s}.latency_ms`)}::bigint as latency_sum,
          ${first(`${s}.input_tokens`)}::bigint as input_tokens, ${first(`${s}.output_tokens`)}::bigint as output_tokens,
          ${first(`${s}.cost`)} as cost,
          (count(${s}.ttft_ms) filter (where h.kind = 2))::bigint as ttft_count,
          coalesce(sum(${s}.ttft_ms) filter (where h.kind = 2), 0)::bigint as ttft_sum,
          ${first(generationTokensSql(`${s}.latency_ms`, `${s}.output_tokens`))}::bigint as generation_tokens,
          ${first(generationMsSql(`${s}.latency_ms`, `${s}.ttft_ms`, `${s}.output_tokens`))}::bigint as generation_ms`;
}

/** The columns binnedSums yields, in order. */
export const SUM_COLUMNS = [
  'requests',
  'errors',
  'latency_count',
  'latency_sum',
  'input_tokens',
  'output_tokens',
  'cost',
  'ttft_count',
  'ttft_sum',
  'generation_tokens',
  'generation_ms',
] as const;

function rollupCtes(source: string): string {
  const sums = SUM_COLUMNS.join(', ');
  return `src as (${source}),
    binned as (
      select date_trunc('hour', s.ts, 'UTC') as hour, d.dim, d.app_id collate "C" as app_id, d.provider collate "C" as provider,
             d.model collate "C" as model, d.user_id collate "C" as user_id, h.kind, h.bin, ${binnedSums('s')}
        from src s
        cross join lateral (values ('all', '', '', '', ''), ('app', s.app_id, '', '', ''), ('provider', '', s.provider, '', ''),
                                   ('model', '', '', s.model, ''), ('user', '', '', '', coalesce(s.user_id, '')),
                                   ('app_model', s.app_id, s.provider, s.model, '')) as d(dim, app_id, provider, model, user_id)
        ${histogramKinds('s')}
       group by 1, 2, 3, 4, 5, 6, 7, 8),
    grained as (
      select 'hour' as grain, hour as bucket, dim, app_id, provider, model, user_id, kind, bin, ${sums}
        from binned
      union all
      select 'day', date_trunc('day', hour, 'UTC'), dim, app_id, provider, model, user_id, kind, bin,
             ${SUM_COLUMNS.map((column) => `sum(${column})`).join(', ')}
        from binned group by 2, 3, 4, 5, 6, 7, 8, 9)`;
}

/**
 * The histogram bytes (see metric-rollup.entity.ts) of grouped rows with columns kind, bin and the
 * count column: latency (kind 1, latency_count) or TTFT (kind 2, ttft_count). Entries are in no
 * particular order, which lets PostgreSQL aggregate by hashing instead of sorting.
 */
export function histogramOfBins(histogram: 'latency' | 'ttft'): string {
  const [kind, count] = histogram === 'latency' ? [1, 'latency_count'] : [2, 'ttft_count'];
  return `coalesce(string_agg(int2send(bin::smallint) || int4send(${count}::integer), ''::bytea)
             filter (where kind = ${kind} and bin is not null and ${count} > 0), ''::bytea)`;
}

// Below this size, a compaction appends its entries to a rollup row's histogram (readers add up repeated
// bins); above it, the two are merged. Most rows (a user's hour) stay small and are only appended to.
const HISTOGRAM_MERGE_BYTES = 1536;

const mergeHistogram = (
  column: string,
) => `${column} = case when length(r.${column}) + length(excluded.${column}) > ${HISTOGRAM_MERGE_BYTES}
                          then lumen_histogram_merge(r.${column}, excluded.${column})
                          else r.${column} || excluded.${column} end`;

const ROLLUP_UPSERT = `insert into metric_rollup as r (grain, dim, bucket, app_id, provider, model, user_id, ${SUM_COLUMNS.join(', ')},
                                    latency_hist, ttft_hist)
    select grain, dim, bucket, app_id, provider, model, user_id, ${SUM_COLUMNS.map((column) => `sum(${column})`).join(', ')},
           ${histogramOfBins('latency')}, ${histogramOfBins('ttft')}
      from grained group by 1, 2, 3, 4, 5, 6, 7
    on conflict (grain, dim, bucket, app_id, provider, model, user_id) do update set
      ${SUM_COLUMNS.map((column) => `${column} = r.${column} + excluded.${column}`).join(', ')},
      ${mergeHistogram('latency_hist')},
      ${mergeHistogram('ttft_hist')}`;

/** app_log rows in the shape of pending rows, for rebuilding rollups from scratch. */
export const APP_LOG_AS_PENDING = `select ts, app_id, provider, model, user_id, 1 as requests, (status = 'ERROR')::int as errors, latency_ms,
  input_tokens::bigint as input_tokens, output_tokens::bigint as output_tokens, cost, time_to_first_token_ms as ttft_ms from app_log`;

/** The pending contributions of a batch of stored logs, one row per log (run on every ingest batch). */
const CAPTURE_SQL = new Prepared(
  'metric_pending_capture',
  `insert into metric_pending (${PENDING_COLUMNS})
       select u.ts, u.app_id, u.provider, u.model, u.user_id, 1, (u.status = '${LogStatus.ERROR}')::int, u.latency_ms, u.input_tokens, u.output_tokens, u.cost, u.ttft_ms
         from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::bigint[], $10::numeric[], $11::int[])
           as u(ts, app_id, provider, model, user_id, status, latency_ms, input_tokens, output_tokens, cost, ttft_ms)`,
);

/**
 * Keeps metric_rollup right as logs arrive, are re-priced, or arrive late.
 *
 * Ingest only appends to metric_pending (inside its own transaction, with the logs it actually
 * inserted), so parallel batches take no shared row locks and cannot deadlock or queue on a hot
 * "current hour" row. A compactor, one at a time across replicas (a transaction-level advisory lock),
 * moves pending rows into the hour and day rollups in one statement: DELETE ... RETURNING feeding an
 * upsert. Only that one writer touches metric_rollup, so row locks are never contended. Reads add the
 * rows still pending (metrics.service.ts), and since the move is one transaction, a read's snapshot
 * sees every log exactly once.
 */
export class MetricRollups {
  private running: Promise<number> = Promise.resolve(0);
  private readonly batchSize: number;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly options: RollupOptions,
  ) {
    this.batchSize = options.batchSize ?? 50_000;
  }

  /** logIngest.onStored: the new logs become pending contributions, in the ingest transaction. */
  readonly captureStored = async (query: SqlQuery, logs: StoredLog[]): Promise<void> => {
    await query(CAPTURE_SQL, [
      logs.map((log) => log.timestamp),
      logs.map((log) => log.appId),
      logs.map((log) => log.provider),
      logs.map((log) => log.model),
      logs.map((log) => log.userId),
      logs.map((log) => log.status),
      logs.map((log) => log.latencyMs),
      logs.map((log) => log.inputTokens),
      logs.map((log) => log.outputTokens),
      logs.map((log) => log.price.cost),
      logs.map((log) => log.timeToFirstTokenMs),
    ]);
  };

  /** costs.onRepriced: each changed cost becomes a pending cost-only contribution (old to new). */
  readonly captureRepriced = async (query: SqlQuery, changes: RepricedLog[]): Promise<void> => {
    await query(
      `insert into metric_pending (${PENDING_COLUMNS})
       select l.ts, l.app_id, l.provider, l.model, l.user_id, 0, 0, null, 0, 0, coalesce(u.new_cost, 0) - coalesce(u.old_cost, 0), null
         from unnest($1::bigint[], $2::numeric[], $3::numeric[]) as u(id, old_cost, new_cost)
         join app_log l on l.id = u.id
        where coalesce(u.new_cost, 0) <> coalesce(u.old_cost, 0)`,
      [changes.map((c) => c.id), changes.map((c) => c.oldCost), changes.map((c) => c.newCost)],
    );
  };

  /** The background job that folds pending rows in every `intervalMs`. */
  job(): PeriodicJob {
    return new PeriodicJob('metric-rollups', this.options.intervalMs, () => this.flush().then(() => undefined), this.log);
  }

  /** Folds every pending row into the rollups; returns how many rows were moved. Calls queue behind each other. */
  flush(): Promise<number> {
    const next = this.running.catch(() => 0).then(() => this.compactAll());
    this.running = next;
    return next;
  }

  private async compactAll(): Promise<number> {
    let moved = 0;
    for (;;) {
      const count = await this.compactOnce();
      if (count === null) return moved;
      moved += count;
      if (count < this.batchSize) break;
    }
    if (moved > 0) this.log.debug({ moved }, 'pending metrics folded into rollups');
    return moved;
  }

  /** One batch in one transaction; null when another replica holds the compactor lock. */
  private compactOnce(): Promise<number | null> {
    return this.sql.transaction(async (query) => {
      const [lock] = await query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [COMPACTOR_LOCK]);
      if (!lock!.locked) return null;
      // A batch's groups (hour × slice × key × latency bin) outgrow the default 4 MB and would spill the
      // hash aggregates to disk; one compaction runs at a time across replicas.
      await query(`set local work_mem = '64MB'`);
      const [pending] = await query<{ n: number }>('select count(*)::int as n from (select 1 from metric_pending limit 1) p');
      if (pending!.n === 0) return 0;
      const moving = `delete from metric_pending where id in (select id from metric_pending order by id limit ${this.batchSize}) returning ${PENDING_COLUMNS}`;
      const [moved] = await query<{ n: number }>(
        `with ${rollupCtes(moving)}, upserted as (${ROLLUP_UPSERT} returning 1) select count(*)::int as n from src`,
      );
      return moved!.n;
    });
  }

  /**
   * Recomputes every rollup from app_log (after a bulk load, or to repair). One snapshot for all of it,
   * holding the compactor lock; ingest goes on meanwhile and its pending rows are kept for later.
   */
  async rebuild(): Promise<void> {
    await this.sql.transaction(async (query) => {
      await query('set transaction isolation level repeatable read');
      await query('select pg_advisory_xact_lock($1)', [COMPACTOR_LOCK]);
      await query(`set local work_mem = '256MB'`);
      await query('delete from metric_rollup');
      await query('delete from metric_pending');
      const [range] = await query<{ first: Date | null; last: Date | null }>('select min(ts) as first, max(ts) as last from app_log');
      if (!range?.first || !range.last) return;
      // One UTC day per statement keeps each aggregation small; days never share a rollup row.
      const day = 86_400_000;
      for (let from = Math.floor(range.first.getTime() / day) * day; from <= range.last.getTime(); from += day) {
        await query(rollupUpsertSql(`${APP_LOG_AS_PENDING} where ts >= $1 and ts < $2`), [new Date(from), new Date(from + day)]);
      }
    });
    this.log.info('metric rollups rebuilt from app_log');
  }
}
