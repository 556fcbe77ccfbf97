import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { LumenContext } from '../graphql/context.js';
import { AppLog } from './log.entity.js';
import { LogOrder } from './log.order.js';
import { IngestResult, LogConnection, LogFilter, LogInput } from './log.types.js';

@Resolver(() => AppLog)
export class LogResolver {
  @Authorized(ApiKeyRole.INGEST)
  @Mutation(() => IngestResult, {
    description:
      'Stores a batch of model-call logs (at most INGEST_MAX_BATCH, default 1000). Answers after the logs are committed. INGEST or ADMIN.',
  })
  ingestLogs(
    @Ctx() { services, logProblems, preparedLogs }: LumenContext,
    @Arg('logs', () => [LogInput]) logs: LogInput[],
  ): Promise<IngestResult> {
    // Over HTTP the batch was coerced before execution (log-batch.precheck.ts) and `logs` is empty.
    return services.logIngest.ingest((preparedLogs as LogInput[] | null | undefined) ?? logs, logProblems ?? undefined);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => LogConnection, {
    description: 'Logs, newest first (or in `orderBy`: time, latency, tokens or cost), with keyset cursor paging. READ or ADMIN.',
  })
  logs(
    @Ctx() { services }: LumenContext,
    @Arg('filter', () => LogFilter, { nullable: true }) filter: LogFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 500; 50 when absent.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page (of the same order).' })
    after: string | null,
    @Arg('orderBy', () => LogOrder, { nullable: true, defaultValue: LogOrder.TIME_DESC, description: 'The order of the list.' })
    orderBy: LogOrder | null,
  ): Promise<LogConnection> {
    return services.logQuery.list(filter, first, after, orderBy ?? LogOrder.TIME_DESC);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => AppLog, { nullable: true, description: 'One log by id. READ or ADMIN.' })
  log(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<AppLog | null> {
    return services.logQuery.byId(id);
  }

  @FieldResolver(() => String, { nullable: true })
  async prompt(@Root() log: AppLog, @Ctx() { loaders }: LumenContext): Promise<string | null> {
    return log.prompt !== undefined ? log.prompt : (await loaders.logContent.load(log.id)).prompt;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'About 160 characters of the prompt or response around the first place the text occurs (case-insensitive); null when it does not.',
  })
  async match(
    @Root() log: AppLog,
    @Ctx() { loaders }: LumenContext,
    @Arg('search', () => String, { description: 'The text to find, as in LogFilter.search.' }) search: string,
  ): Promise<string | null> {
    const content = log.prompt !== undefined ? log : await loaders.logContent.load(log.id);
    return excerptAround(`${content.prompt ?? ''} ${content.response ?? ''}`, search.trim(), 160);
  }

  @FieldResolver(() => String, { nullable: true })
  async response(@Root() log: AppLog, @Ctx() { loaders }: LumenContext): Promise<string | null> {
    return log.response !== undefined ? log.response : (await loaders.logContent.load(log.id)).response;
  }
}

/** The text around the first occurrence of `term` (any case), with an ellipsis where it was cut. */
export function excerptAround(text: string, term: string, width: number): string | null {
  if (term.length === 0) return null;
  const at = text.toLowerCase().indexOf(term.toLowerCase());
  if (at < 0) return null;
  const start = Math.max(0, at - Math.floor((width - term.length) / 2));
  const end = Math.min(text.length, start + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
