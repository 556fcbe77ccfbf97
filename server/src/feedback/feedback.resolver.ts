import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { principalOf } from '../auth/role.guard.js';
import type { LumenContext } from '../graphql/context.js';
import { TimeRangeInput } from '../graphql/time-range.js';
import { AppLog } from '../logs/log.entity.js';
import { UserFeedback } from './feedback.entity.js';
import {
  FeedbackConnection,
  FeedbackFilter,
  FeedbackInput,
  FeedbackInterval,
  FeedbackStats,
  FeedbackStatsFilter,
} from './feedback.types.js';

@Resolver(() => UserFeedback)
export class FeedbackResolver {
  @Authorized(ApiKeyRole.INGEST)
  @Mutation(() => UserFeedback, {
    description:
      'Stores end-user feedback on an answer, linked to its log now or when the log arrives. A repeated feedbackId stores nothing and returns the stored feedback (to an INGEST key: its id, time and status with the values this call sent). INGEST or ADMIN.',
  })
  submitFeedback(@Ctx() context: LumenContext, @Arg('input', () => FeedbackInput) input: FeedbackInput): Promise<UserFeedback> {
    return context.services.feedback.submit(input, principalOf(context));
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => FeedbackConnection, { description: 'Feedback, newest first, with keyset cursor paging. READ or ADMIN.' })
  feedback(
    @Ctx() { services }: LumenContext,
    @Arg('filter', () => FeedbackFilter, { nullable: true }) filter: FeedbackFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 500; 50 when absent.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
  ): Promise<FeedbackConnection> {
    return services.feedback.list(filter, first, after);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => FeedbackStats, { description: 'Feedback statistics over the feedback received in a range. READ or ADMIN.' })
  feedbackStats(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('filter', () => FeedbackStatsFilter, { nullable: true }) filter: FeedbackStatsFilter | null,
    @Arg('interval', () => FeedbackInterval, {
      nullable: true,
      description: 'Bucket width of timeSeries; HOUR for ranges up to 3 days, DAY beyond, when absent.',
    })
    interval: FeedbackInterval | null,
  ): Promise<FeedbackStats> {
    return services.feedback.stats(range, filter, interval);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => UserFeedback, {
    description: 'Marks feedback RESOLVED with an optional note (up to 2,000 characters), recording the key and the time. ADMIN.',
  })
  resolveFeedback(
    @Ctx() context: LumenContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
  ): Promise<UserFeedback> {
    return context.services.feedback.resolve(id, note, principalOf(context));
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => UserFeedback, { description: 'Sets resolved feedback back to OPEN, recording the key and the time. ADMIN.' })
  reopenFeedback(@Ctx() context: LumenContext, @Arg('id', () => ID) id: string): Promise<UserFeedback> {
    return context.services.feedback.reopen(id, principalOf(context));
  }

  // Guarded on its own: an INGEST key may submit feedback but must not read logs through the answer.
  @Authorized(ApiKeyRole.READ)
  @FieldResolver(() => AppLog, { nullable: true, description: 'The linked log; null until it is stored. READ or ADMIN.' })
  async log(@Root() feedback: UserFeedback, @Ctx() { loaders }: LumenContext): Promise<AppLog | null> {
    return feedback.logId ? loaders.log.load(feedback.logId) : null;
  }
}
