import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Contributions to the rollups not yet folded into metric_rollup: one row per stored log (written in
 * the ingest transaction) and one per re-priced log (requests 0, cost = the change). Ingest only
 * appends here, so parallel batches never wait on each other's rollup rows; the compactor moves rows
 * into metric_rollup in one transaction, and reads add what is still pending, so nothing is counted
 * twice or missed.
 */
@Entity({ tableName: 'metric_pending' })
export class MetricPending {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz' })
  ts!: Date;

  @Property({ type: 'text' })
  appId!: string;

  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'text' })
  model!: string;

  @Property({ type: 'text', nullable: true })
  userId?: string | null;

  @Property({ type: 'smallint' })
  requests!: number;

  @Property({ type: 'smallint' })
  errors!: number;

  @Property({ type: 'integer', nullable: true })
  latencyMs?: number | null;

  @Property({ type: 'integer', nullable: true })
  ttftMs?: number | null;

  @Property({ type: 'bigint' })
  inputTokens!: string;

  @Property({ type: 'bigint' })
  outputTokens!: string;

  @Property({ type: 'decimal', precision: 20, scale: 10, nullable: true })
  cost?: string | null;
}
