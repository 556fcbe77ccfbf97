import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { LumenContext } from '../graphql/context.js';
import { AppLog } from '../logs/log.entity.js';
import { UserFeedback } from './feedback.entity.js';

/** Adds `feedback` to AppLog, so a log's detail shows what users thought of it; lives here to keep logs/ unaware of feedback. */
@Resolver(() => AppLog)
export class LogFeedbackResolver {
  @Authorized(ApiKeyRole.READ)
  @FieldResolver(() => [UserFeedback], { description: 'Feedback linked to this log, newest first. READ or ADMIN.' })
  feedback(@Root() log: AppLog, @Ctx() { loaders }: LumenContext): Promise<UserFeedback[]> {
    return loaders.feedbackForLog.load(log.id);
  }
}
