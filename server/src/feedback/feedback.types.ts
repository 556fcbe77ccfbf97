import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

import { PageInfo } from '../graphql/pagination.js';
import { DateTimeScalar } from '../graphql/scalars.js';
import { FeedbackRating, FeedbackStatus, UserFeedback } from './feedback.entity.js';

@InputType({ description: 'End-user feedback on one answer. Give logEventId (or traceId) to link it to the model call it judges.' })
export class FeedbackInput {
  @Field(() => String, {
    nullable: true,
    description: 'Your id for this feedback: sending it again with the same feedbackId stores nothing new and returns the stored feedback.',
  })
  feedbackId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The eventId of the log the feedback is about; the log may be sent before or after the feedback.',
  })
  logEventId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The trace the feedback is about, when the eventId is not known: it links to the trace's latest log.",
  })
  traceId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Taken from the linked log when absent; required when neither logEventId nor traceId is given.',
  })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'The end user; taken from the linked log when absent.' })
  userId?: string | null;

  @Field(() => FeedbackRating)
  rating!: FeedbackRating;

  @Field(() => Int, { nullable: true, description: 'An optional score from 1 (worst) to 5 (best).' })
  score?: number | null;

  @Field(() => String, { nullable: true, description: 'Free text, up to 4,000 characters.' })
  comment?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'What the feedback is about, for example "wrong answer" or "too slow"; up to 64 characters.',
  })
  category?: string | null;
}

@InputType({ description: 'Narrows feedback statistics; every field is optional and they combine with AND.' })
export class FeedbackStatsFilter {
  @Field(() => String, { nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'The model of the linked log.' })
  model?: string | null;

  @Field(() => String, { nullable: true, description: 'The provider of the linked log.' })
  provider?: string | null;

  @Field(() => String, { nullable: true })
  userId?: string | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => FeedbackRating, { nullable: true })
  rating?: FeedbackRating | null;

  @Field(() => FeedbackStatus, { nullable: true })
  status?: FeedbackStatus | null;
}

@InputType({ description: 'Narrows the feedback list; every field is optional and they combine with AND.' })
export class FeedbackFilter extends FeedbackStatsFilter {
  @Field(() => String, { nullable: true })
  traceId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only feedback linked to a stored log; false: only feedback still waiting for its log.',
  })
  linked?: boolean | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Feedback received at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Feedback received before this time.' })
  to?: Date | null;
}

@ObjectType()
export class FeedbackEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => UserFeedback)
  node!: UserFeedback;
}

@ObjectType({ description: 'A page of feedback, newest first.' })
export class FeedbackConnection {
  @Field(() => [FeedbackEdge])
  edges!: FeedbackEdge[];

  @Field(() => [UserFeedback], { description: 'The feedback of edges, for clients that do not need cursors per item.' })
  nodes!: UserFeedback[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

export enum FeedbackInterval {
  HOUR = 'HOUR',
  DAY = 'DAY',
}

registerEnumType(FeedbackInterval, { name: 'FeedbackInterval', description: 'The width of a time-series bucket, in UTC.' });

@ObjectType({ description: 'Feedback counts; every statistic carries them.' })
export class FeedbackCounts {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => Int)
  positiveCount!: number;

  @Field(() => Int)
  negativeCount!: number;

  @Field(() => Float, { nullable: true, description: 'positiveCount / totalCount, from 0 to 1; null when totalCount is 0.' })
  positiveRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'negativeCount / totalCount, from 0 to 1; null when totalCount is 0.' })
  negativeRate!: number | null;

  @Field(() => Int, { description: 'How many carry a score.' })
  scoredCount!: number;

  @Field(() => Float, { nullable: true, description: 'The mean score of those that carry one; null when none does.' })
  averageScore!: number | null;
}

@ObjectType({ description: 'Feedback counts of one category, model or app.' })
export class FeedbackGroup extends FeedbackCounts {
  @Field(() => String, {
    nullable: true,
    description: 'The category, model or app; null for feedback without one (for models: not linked to a log yet).',
  })
  key!: string | null;
}

@ObjectType({ description: 'Feedback counts of one time bucket.' })
export class FeedbackPoint extends FeedbackCounts {
  @Field(() => DateTimeScalar, { description: 'The start of the bucket (UTC).' })
  bucket!: Date;
}

@ObjectType({ description: 'Feedback statistics over a time range; groups are ordered by totalCount, largest first.' })
export class FeedbackStats extends FeedbackCounts {
  @Field(() => Int)
  openCount!: number;

  @Field(() => Int)
  resolvedCount!: number;

  @Field(() => [FeedbackGroup])
  byCategory!: FeedbackGroup[];

  @Field(() => [FeedbackGroup], { description: 'By the model of the linked log.' })
  byModel!: FeedbackGroup[];

  @Field(() => [FeedbackGroup])
  byApp!: FeedbackGroup[];

  @Field(() => [FeedbackGroup], { description: 'By the end user who gave it (key null: no user named).' })
  byUser!: FeedbackGroup[];

  @Field(() => FeedbackInterval, { description: 'The bucket width of timeSeries.' })
  interval!: FeedbackInterval;

  @Field(() => [FeedbackPoint], { description: 'Every bucket of the range, oldest first; buckets without feedback count zero.' })
  timeSeries!: FeedbackPoint[];
}
