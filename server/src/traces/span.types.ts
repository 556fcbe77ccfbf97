import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

import { PageInfo } from '../graphql/pagination.js';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';

/** What a step of a trace does: OpenInference's span kinds, which GenAI operations map onto. */
export enum SpanKind {
  LLM = 'LLM',
  EMBEDDING = 'EMBEDDING',
  CHAIN = 'CHAIN',
  AGENT = 'AGENT',
  TOOL = 'TOOL',
  RETRIEVER = 'RETRIEVER',
  RERANKER = 'RERANKER',
  GUARDRAIL = 'GUARDRAIL',
  EVALUATOR = 'EVALUATOR',
  OTHER = 'OTHER',
}
registerEnumType(SpanKind, { name: 'SpanKind', description: 'What a span does (OpenInference span kinds).' });

export enum SpanStatus {
  OK = 'OK',
  ERROR = 'ERROR',
  UNSET = 'UNSET',
}
registerEnumType(SpanStatus, {
  name: 'SpanStatus',
  description: 'The OpenTelemetry status of a span, or of a trace (ERROR when any span failed).',
});

@InputType({ description: 'Narrows traces; every field is optional and they combine with AND.' })
export class TraceFilter {
  @Field(() => String, { nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'The end user.' })
  userId?: string | null;

  @Field(() => String, { nullable: true })
  sessionId?: string | null;

  @Field(() => SpanStatus, { nullable: true, description: 'ERROR: traces with a failed span; OK: the others.' })
  status?: SpanStatus | null;

  @Field(() => String, { nullable: true, description: "The root span's name, exactly." })
  name?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Traces that started at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Traces that started before this time.' })
  to?: Date | null;
}

@InputType({ description: 'Narrows sessions; every field is optional and they combine with AND.' })
export class SessionFilter {
  @Field(() => String, { nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'The end user.' })
  userId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Sessions active at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Sessions that started before this time.' })
  to?: Date | null;
}

@ObjectType({ description: 'One run of an application: its spans as a tree, with totals over its model calls.' })
export class Trace {
  @Field(() => String)
  traceId!: string;

  @Field(() => String, { nullable: true, description: "The root span's name; null while the root has not arrived." })
  name!: string | null;

  @Field(() => Boolean, { description: 'False when no span without a parent has arrived: the spans are shown under a placeholder.' })
  hasRoot!: boolean;

  @Field(() => String, { nullable: true })
  appId!: string | null;

  @Field(() => String, { nullable: true })
  sessionId!: string | null;

  @Field(() => String, { nullable: true, description: 'The end user.' })
  userId!: string | null;

  @Field(() => DateTimeScalar, { description: 'The earliest start of its spans.' })
  startTime!: Date;

  @Field(() => Int, { description: 'From the earliest start to the latest end of its spans, in milliseconds.' })
  durationMs!: number;

  @Field(() => SpanStatus, { description: 'ERROR when any span failed.' })
  status!: SpanStatus;

  @Field(() => Int)
  spanCount!: number;

  @Field(() => Int, { description: 'Errored spans.' })
  errorCount!: number;

  @Field(() => Int, { description: 'Model calls (logs) in the trace.' })
  llmCallCount!: number;

  @Field(() => Int)
  inputTokens!: number;

  @Field(() => Int)
  outputTokens!: number;

  @Field(() => DecimalScalar, { description: 'The exact sum of its model calls’ costs (USD unless priced otherwise).' })
  totalCost!: string;
}

@ObjectType()
export class TraceEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Trace)
  node!: Trace;
}

@ObjectType({ description: 'A page of traces, newest first.' })
export class TraceConnection {
  @Field(() => [TraceEdge])
  edges!: TraceEdge[];

  @Field(() => [Trace])
  nodes!: Trace[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A conversation: the traces and model calls that share a session id.' })
export class Session {
  @Field(() => String)
  sessionId!: string;

  @Field(() => String, { nullable: true })
  appId!: string | null;

  @Field(() => String, { nullable: true, description: 'The end user.' })
  userId!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The conversation's name, as the application named it in a trace of its own (Dify's generate_conversation_name); that trace is not one of the session's turns.",
  })
  name!: string | null;

  @Field(() => DateTimeScalar)
  firstAt!: Date;

  @Field(() => DateTimeScalar)
  lastAt!: Date;

  @Field(() => Int, { description: 'Its traces: its turns, without the one naming the conversation.' })
  traceCount!: number;

  @Field(() => Int, { description: 'Model calls in the session.' })
  llmCallCount!: number;

  @Field(() => Int, { description: 'Input and output tokens of its model calls.' })
  totalTokens!: number;

  @Field(() => DecimalScalar)
  totalCost!: string;

  @Field(() => Int, { description: 'Spans of its traces that failed.' })
  errorCount!: number;
}

@ObjectType()
export class SessionEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Session)
  node!: Session;
}

@ObjectType({ description: 'A page of sessions, the most recently active first.' })
export class SessionConnection {
  @Field(() => [SessionEdge])
  edges!: SessionEdge[];

  @Field(() => [Session])
  nodes!: Session[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
