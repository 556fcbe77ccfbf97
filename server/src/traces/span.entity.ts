import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';

import { DateTimeScalar, JSONObjectScalar } from '../graphql/scalars.js';
import { SpanKind, SpanStatus } from './span.types.js';

/**
 * One step of a trace. Rows are written by a set-based INSERT in traces/span.ingest.ts (idempotent on
 * trace id, span id and start, so an exporter's retry stores nothing twice), never through the unit of
 * work. The table is partitioned by range of start_time, one partition per UTC day
 * (logs/log.partitions.ts), so its primary key holds start_time. The primary key serves a trace's
 * spans; lists read trace_summary, so no other index is needed.
 */
@ObjectType({ description: 'One step of a trace: a model call, a retrieval, a tool, a chain or an agent step.' })
@Entity({ tableName: 'span' })
export class Span {
  @Field(() => String)
  @PrimaryKey({ type: 'text' })
  traceId!: string;

  @Field(() => String)
  @PrimaryKey({ type: 'text' })
  spanId!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  parentSpanId?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => SpanKind)
  @Property({ type: 'text' })
  kind!: SpanKind;

  @Field(() => DateTimeScalar)
  @PrimaryKey({ type: 'timestamptz' })
  startTime!: Date;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  endTime!: Date;

  @Field(() => Int)
  @Property({ type: 'integer' })
  durationMs!: number;

  @Field(() => SpanStatus)
  @Property({ type: 'text' })
  status!: SpanStatus;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  errorMessage?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the step was given, up to LOG_CONTENT_MAX_BYTES (STORE_CONTENT and REDACT apply).',
  })
  @Property({ type: 'text', nullable: true })
  input?: string | null;

  @Field(() => String, { nullable: true, description: 'What the step answered, capped like input.' })
  @Property({ type: 'text', nullable: true })
  output?: string | null;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  inputTruncated!: boolean;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  outputTruncated!: boolean;

  @Field(() => JSONObjectScalar, { description: 'The span attributes not mapped to a field, capped like log metadata.' })
  @Property({ type: 'jsonb', default: '{}' })
  attributes!: Record<string, unknown>;

  @Field(() => String)
  @Property({ type: 'text' })
  appId!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  sessionId?: string | null;

  @Field(() => String, { nullable: true, description: 'The end user.' })
  @Property({ type: 'text', nullable: true })
  userId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  provider?: string | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  inputTokens?: number | null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  outputTokens?: number | null;

  @Field(() => DateTimeScalar, { description: 'When Lumen stored the span.' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  receivedAt!: Date;
}

/**
 * One row per trace, kept up to date in the transaction that stores its spans (spans of one trace arrive
 * in many requests, children before parents): what the trace and session lists read, so a page of them
 * never scans spans.
 */
@Entity({ tableName: 'trace_summary' })
@Index({
  name: 'trace_summary_start_index',
  expression: 'create index "trace_summary_start_index" on "trace_summary" ("start_time" desc, "trace_id" desc)',
})
@Index({
  name: 'trace_summary_app_start_index',
  expression: 'create index "trace_summary_app_start_index" on "trace_summary" ("app_id", "start_time" desc)',
})
@Index({
  name: 'trace_summary_user_start_index',
  expression: 'create index "trace_summary_user_start_index" on "trace_summary" ("user_id", "start_time" desc) where "user_id" is not null',
})
@Index({
  name: 'trace_summary_session_index',
  expression: 'create index "trace_summary_session_index" on "trace_summary" ("session_id", "start_time") where "session_id" is not null',
})
export class TraceSummary {
  @PrimaryKey({ type: 'text' })
  traceId!: string;

  @Property({ type: 'text', nullable: true })
  name?: string | null;

  @Property({ type: 'boolean', default: false })
  hasRoot!: boolean;

  @Property({ type: 'text', nullable: true })
  appId?: string | null;

  @Property({ type: 'text', nullable: true })
  sessionId?: string | null;

  @Property({ type: 'text', nullable: true })
  userId?: string | null;

  @Property({ type: 'timestamptz' })
  startTime!: Date;

  @Property({ type: 'timestamptz' })
  endTime!: Date;

  @Property({ type: 'integer' })
  spanCount!: number;

  @Property({ type: 'integer' })
  errorCount!: number;

  /**
   * Set when the trace names its session rather than being a turn of it (Dify's
   * `generate_conversation_name`): the name, '' when none was given or content is not stored.
   */
  @Property({ type: 'text', nullable: true })
  conversationName?: string | null;
}
