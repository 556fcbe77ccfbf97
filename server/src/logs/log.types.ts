import { Field, InputType, Int, ObjectType } from 'type-graphql';

import { PageInfo } from '../graphql/pagination.js';
import { DateTimeScalar, DecimalScalar, JSONObjectScalar } from '../graphql/scalars.js';
import { LogStatus, LogStatusInputScalar } from './log-status.types.js';
import { AppLog } from './log.entity.js';

/**
 * One model call as a client sends it. Fields are nullable in the schema on purpose: each item is
 * validated on its own (logs/log.validation.ts) so that a bad item is reported by index and the good
 * ones are stored, instead of GraphQL refusing the whole batch.
 */
@InputType({ description: 'One model call. Required: appId, provider, model.' })
export class LogInput {
  @Field(() => String, {
    nullable: true,
    description: 'Idempotency key: a replay with the same eventId stores nothing. Generated when absent.',
  })
  eventId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the call started; the time of arrival when absent.' })
  timestamp?: Date | null;

  @Field(() => String, { nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true })
  userId?: string | null;

  @Field(() => String, { nullable: true })
  sessionId?: string | null;

  @Field(() => String, { nullable: true })
  traceId?: string | null;

  @Field(() => String, { nullable: true, description: 'The span of this call in its trace (with traceId): links the log to its span.' })
  spanId?: string | null;

  @Field(() => String, { nullable: true, description: 'openai, anthropic, google, deepseek, qwen, ...' })
  provider?: string | null;

  @Field(() => String, { nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true, description: 'chat, completion, embedding, ...' })
  operation?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored up to LOG_CONTENT_MAX_BYTES; longer text is cut and flagged.' })
  prompt?: string | null;

  @Field(() => String, { nullable: true, description: 'Stored up to LOG_CONTENT_MAX_BYTES; longer text is cut and flagged.' })
  response?: string | null;

  @Field(() => Int, { nullable: true, description: 'Input tokens including cached ones; 0 when absent.' })
  inputTokens?: number | null;

  @Field(() => Int, { nullable: true })
  outputTokens?: number | null;

  @Field(() => Int, { nullable: true, description: 'The part of inputTokens read from the prompt cache.' })
  cachedInputTokens?: number | null;

  @Field(() => Int, { nullable: true })
  latencyMs?: number | null;

  @Field(() => Int, { nullable: true })
  timeToFirstTokenMs?: number | null;

  @Field(() => LogStatusInputScalar, {
    nullable: true,
    description: 'SUCCESS or ERROR; ERROR when absent and an error is given, else SUCCESS.',
  })
  status?: string | null;

  @Field(() => String, { nullable: true })
  errorType?: string | null;

  @Field(() => String, { nullable: true })
  errorMessage?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'The cost when the client knows it; computed from prices when absent.' })
  cost?: string | null;

  @Field(() => String, { nullable: true, description: 'Currency of cost (ISO 4217); USD when absent.' })
  currency?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Free JSON object, up to LOG_METADATA_MAX_BYTES.' })
  metadata?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@ObjectType({ description: 'Why one item of a batch was not stored.' })
export class RejectedLog {
  @Field(() => Int, { description: 'Position of the item in the batch, from 0.' })
  index!: number;

  @Field(() => String)
  field!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'The outcome of ingestLogs; accepted + duplicates + rejected items = the batch size.' })
export class IngestResult {
  @Field(() => Int, { description: 'Items stored by this call.' })
  accepted!: number;

  @Field(() => Int, { description: 'Valid items whose eventId was already stored; nothing was written for them.' })
  duplicates!: number;

  @Field(() => [RejectedLog], { description: 'Invalid items, one entry per problem; nothing was written for them.' })
  rejected!: RejectedLog[];

  @Field(() => [String], { nullable: 'items', description: 'The eventId of each item by position (null for rejected items).' })
  eventIds!: (string | null)[];
}

/** The dimensions metrics and cost recomputation narrow logs by; LogFilter adds the rest. */
@InputType({ description: 'Narrows metrics to one app, model, provider or user; fields combine with AND.' })
export class MetricsFilter {
  @Field(() => String, { nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true })
  provider?: string | null;

  @Field(() => String, { nullable: true })
  userId?: string | null;
}

@InputType({ description: 'Narrows logs; every field is optional and they combine with AND.' })
export class LogFilter extends MetricsFilter {
  @Field(() => LogStatus, { nullable: true })
  status?: LogStatus | null;

  @Field(() => String, { nullable: true })
  traceId?: string | null;

  @Field(() => String, { nullable: true })
  sessionId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Text the prompt or the response contains (any case, 2 to 200 characters); served by a trigram index.',
  })
  search?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Calls at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Calls before this time.' })
  to?: Date | null;
}

@ObjectType()
export class LogEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AppLog)
  node!: AppLog;
}

@ObjectType({ description: 'A page of logs, newest first.' })
export class LogConnection {
  @Field(() => [LogEdge])
  edges!: LogEdge[];

  @Field(() => [AppLog], { description: 'The logs of edges, for clients that do not need cursors per item.' })
  nodes!: AppLog[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
