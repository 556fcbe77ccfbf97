import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The slices rollups keep: each log is counted once in every slice, under that slice's key columns. */
export const ROLLUP_DIMS = ['all', 'app', 'provider', 'model', 'user', 'app_model'] as const;
export type RollupDim = (typeof ROLLUP_DIMS)[number];

/** Rollup grains: UTC hours and UTC days. */
export const ROLLUP_GRAINS = ['hour', 'day'] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

/**
 * Per-hour and per-day aggregates of app_log, one row per (grain, dim, bucket, key). Key columns a slice
 * does not use hold '' (as does user_id for logs without a user), so that the primary key needs no NULLs.
 * Written only by the rollup compactor (one writer at a time); see metrics/metrics.rollups.ts.
 */
@Entity({ tableName: 'metric_rollup' })
@Index({
  name: 'metric_rollup_user_index',
  expression: `create index "metric_rollup_user_index" on "metric_rollup" ("grain", "user_id", "bucket") where "dim" = 'user'`,
})
export class MetricRollup {
  @PrimaryKey({ type: 'text' })
  grain!: RollupGrain;

  @PrimaryKey({ type: 'text' })
  dim!: RollupDim;

  @PrimaryKey({ type: 'timestamptz' })
  bucket!: Date;

  @PrimaryKey({ type: 'text', default: '' })
  appId: string = '';

  @PrimaryKey({ type: 'text', default: '' })
  provider: string = '';

  @PrimaryKey({ type: 'text', default: '' })
  model: string = '';

  @PrimaryKey({ type: 'text', default: '' })
  userId: string = '';

  @Property({ type: 'bigint', default: 0 })
  requests!: string;

  @Property({ type: 'bigint', default: 0 })
  errors!: string;

  @Property({ type: 'bigint', default: 0 })
  latencyCount!: string;

  @Property({ type: 'bigint', default: 0 })
  latencySum!: string;

  @Property({ type: 'bigint', default: 0 })
  inputTokens!: string;

  @Property({ type: 'bigint', default: 0 })
  outputTokens!: string;

  @Property({ type: 'decimal', precision: 30, scale: 10, default: 0 })
  cost!: string;

  /** Calls that report a time to first token, and the sum of those times (ms). */
  @Property({ type: 'bigint', default: 0 })
  ttftCount!: string;

  @Property({ type: 'bigint', default: 0 })
  ttftSum!: string;

  /**
   * Throughput's two sums (see metrics.throughput.ts): output tokens of the calls that produced output in
   * a known time, and those calls' generation time (ms). Their quotient is robust to a few tiny calls.
   */
  @Property({ type: 'bigint', default: 0 })
  generationTokens!: string;

  @Property({ type: 'bigint', default: 0 })
  generationMs!: string;

  /**
   * Latency histogram: for non-empty bins (see metrics.histogram.ts), in any order and possibly repeated
   * (counts add up), 6 bytes each: the bin (uint16) and its count (int32), big-endian. Bytes rather than arrays because reads merge
   * thousands of these, and decoding bytes in Node is several times faster than merging arrays in SQL.
   */
  @Property({ type: 'blob', columnType: 'bytea' })
  latencyHist!: Buffer;

  /** Time-to-first-token histogram, in the same bins and form as latencyHist. */
  @Property({ type: 'blob', columnType: 'bytea' })
  ttftHist!: Buffer;
}
