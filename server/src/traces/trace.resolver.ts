import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { UserFeedback } from '../feedback/feedback.entity.js';
import type { LumenContext } from '../graphql/context.js';
import { DecimalScalar } from '../graphql/scalars.js';
import { AppLog } from '../logs/log.entity.js';
import { Span } from './span.entity.js';
import { Session, SessionConnection, SessionFilter, Trace, TraceConnection, TraceFilter } from './span.types.js';

@Resolver(() => Trace)
export class TraceResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => Trace, { nullable: true, description: 'One trace with its spans. READ or ADMIN.' })
  trace(@Ctx() { services }: LumenContext, @Arg('traceId', () => String) traceId: string): Promise<Trace | null> {
    return services.traceQuery.byId(traceId);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => TraceConnection, { description: 'Traces, newest first, with keyset cursor paging. READ or ADMIN.' })
  traces(
    @Ctx() { services }: LumenContext,
    @Arg('filter', () => TraceFilter, { nullable: true }) filter: TraceFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 500; 50 when absent.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
  ): Promise<TraceConnection> {
    return services.traceQuery.list(filter, first, after);
  }

  @FieldResolver(() => [Span], { description: 'Every span, parents before children (spans whose parent did not arrive come first).' })
  spans(@Root() trace: Trace, @Ctx() { services }: LumenContext): Promise<Span[]> {
    return services.traceQuery.spans(trace.traceId);
  }

  @FieldResolver(() => [AppLog], { description: 'The model calls of the trace, oldest first.' })
  calls(@Root() trace: Trace, @Ctx() { services }: LumenContext): Promise<AppLog[]> {
    return services.logQuery.byTraces([trace.traceId]);
  }
}

@Resolver(() => Session)
export class SessionResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => SessionConnection, { description: 'Sessions (conversations), the most recently active first. READ or ADMIN.' })
  sessions(
    @Ctx() { services }: LumenContext,
    @Arg('filter', () => SessionFilter, { nullable: true }) filter: SessionFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 500; 50 when absent.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
  ): Promise<SessionConnection> {
    return services.traceQuery.sessions(filter, first, after);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => Session, { nullable: true, description: 'One session with its traces and calls. READ or ADMIN.' })
  session(@Ctx() { services }: LumenContext, @Arg('sessionId', () => String) sessionId: string): Promise<Session | null> {
    return services.traceQuery.session(sessionId);
  }

  @FieldResolver(() => [Trace], { description: 'Its traces (turns), oldest first, without the one naming the conversation.' })
  traces(@Root() session: Session, @Ctx() { services }: LumenContext): Promise<Trace[]> {
    return services.traceQuery.tracesOfSession(session.sessionId);
  }

  @FieldResolver(() => [AppLog], { description: 'Its model calls (turns), oldest first.' })
  async calls(@Root() session: Session, @Ctx() { services }: LumenContext): Promise<AppLog[]> {
    const traces = await services.traceQuery.tracesOfSession(session.sessionId);
    return services.logQuery.byTraces(traces.map((trace) => trace.traceId));
  }

  @FieldResolver(() => [UserFeedback], { description: 'Negative feedback on its calls, newest first.' })
  async negativeFeedback(@Root() session: Session, @Ctx() { services, loaders }: LumenContext): Promise<UserFeedback[]> {
    const traces = await services.traceQuery.tracesOfSession(session.sessionId);
    const calls = await services.logQuery.byTraces(traces.map((trace) => trace.traceId));
    const feedback = (await Promise.all(calls.map((call) => loaders.feedbackForLog.load(call.id)))).flat();
    return feedback.filter((item) => item.rating === 'NEGATIVE');
  }
}

/** Links between spans and logs: a span's stored model call, and a log's trace. */
@Resolver(() => Span)
export class SpanResolver {
  @FieldResolver(() => AppLog, { nullable: true, description: 'The stored model call, for LLM and embedding spans.' })
  log(@Root() span: Span, @Ctx() { loaders }: LumenContext): Promise<AppLog | null> {
    return loaders.spanLog.load(`${span.traceId}/${span.spanId}`);
  }

  @FieldResolver(() => DecimalScalar, { nullable: true, description: 'The cost of its model call, as priced on the log.' })
  async cost(@Root() span: Span, @Ctx() { loaders }: LumenContext): Promise<string | null> {
    return (await loaders.spanLog.load(`${span.traceId}/${span.spanId}`))?.cost ?? null;
  }
}

@Resolver(() => AppLog)
export class LogTraceResolver {
  @Authorized(ApiKeyRole.READ)
  @FieldResolver(() => Trace, { nullable: true, description: 'The trace the call belongs to, when its spans were received.' })
  trace(@Root() log: AppLog, @Ctx() { services }: LumenContext): Promise<Trace | null> {
    return log.traceId ? services.traceQuery.byId(log.traceId) : Promise.resolve(null);
  }
}
