import { Check, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

import { DateTimeScalar } from '../graphql/scalars.js';

export enum FeedbackRating {
  POSITIVE = 'POSITIVE',
  NEGATIVE = 'NEGATIVE',
}

export enum FeedbackStatus {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}

registerEnumType(FeedbackRating, { name: 'FeedbackRating', description: 'Thumbs up (POSITIVE) or thumbs down (NEGATIVE).' });
registerEnumType(FeedbackStatus, { name: 'FeedbackStatus', description: 'OPEN until someone marks the feedback RESOLVED.' });

/**
 * What an end user thought of an answer. `logEventId`/`traceId` name the model call it judges; `logId`
 * is filled once that log is stored, which may be after the feedback arrives (see feedback.link.ts).
 * Rows are read and written by hand-written SQL (feedback.row.ts); this class is the schema's source.
 */
@ObjectType('Feedback', { description: 'What an end user thought of an answer.' })
@Entity({ tableName: 'user_feedback' })
@Check({ name: 'user_feedback_score_check', expression: 'score is null or (score >= 1 and score <= 5)' })
@Index({
  name: 'user_feedback_created_index',
  expression: 'create index "user_feedback_created_index" on "user_feedback" ("created_at" desc, "id" desc)',
})
@Index({
  name: 'user_feedback_log_event_index',
  expression: 'create index "user_feedback_log_event_index" on "user_feedback" ("log_event_id") where "log_event_id" is not null',
})
@Index({
  name: 'user_feedback_trace_index',
  expression: 'create index "user_feedback_trace_index" on "user_feedback" ("trace_id") where "trace_id" is not null',
})
@Index({
  name: 'user_feedback_log_index',
  expression: 'create index "user_feedback_log_index" on "user_feedback" ("log_id") where "log_id" is not null',
})
export class UserFeedback {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: "The client's id for this feedback: a second submission with the same feedbackId is not stored again.",
  })
  @Property({ type: 'text', fieldName: 'client_feedback_id', nullable: true, unique: 'user_feedback_client_feedback_id_unique' })
  feedbackId?: string | null;

  @Field(() => String, { nullable: true, description: 'The eventId of the log (model call) the feedback is about.' })
  @Property({ type: 'text', nullable: true })
  logEventId?: string | null;

  @Field(() => String, { nullable: true, description: 'The trace the feedback is about; filled from the linked log when not sent.' })
  @Property({ type: 'text', nullable: true })
  traceId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The id of the linked log; null until a log matching logEventId (or traceId) is stored.',
  })
  @Property({ type: 'bigint', nullable: true })
  logId?: string | null;

  @Field(() => String, { nullable: true, description: 'The app; filled from the linked log when not sent.' })
  @Property({ type: 'text', nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'The end user who gave the feedback; filled from the linked log when not sent.' })
  @Property({ type: 'text', nullable: true })
  userId?: string | null;

  @Field(() => FeedbackRating)
  @Enum({ items: () => FeedbackRating })
  rating!: FeedbackRating;

  @Field(() => Int, { nullable: true, description: 'An optional score from 1 (worst) to 5 (best).' })
  @Property({ type: 'smallint', nullable: true })
  score?: number | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Field(() => String, { nullable: true, description: 'What the feedback is about, for example "wrong answer" or "too slow".' })
  @Property({ type: 'text', nullable: true })
  category?: string | null;

  @Field(() => FeedbackStatus)
  @Enum({ items: () => FeedbackStatus, default: FeedbackStatus.OPEN })
  status: FeedbackStatus = FeedbackStatus.OPEN;

  @Field(() => String, { nullable: true, description: 'The note of the last resolution (kept when the feedback is reopened).' })
  @Property({ type: 'text', nullable: true })
  resolutionNote?: string | null;

  @Field(() => String, { nullable: true, description: 'The name of the API key that last resolved the feedback.' })
  @Property({ type: 'text', nullable: true })
  resolvedBy?: string | null;

  @Field(() => ID, { nullable: true, description: 'The id of the API key that last resolved the feedback.' })
  @Property({ type: 'uuid', nullable: true })
  resolvedByKeyId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the feedback was last resolved.' })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The name of the API key that last reopened the feedback.' })
  @Property({ type: 'text', nullable: true })
  reopenedBy?: string | null;

  @Field(() => ID, { nullable: true, description: 'The id of the API key that last reopened the feedback.' })
  @Property({ type: 'uuid', nullable: true })
  reopenedByKeyId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the feedback was last reopened.' })
  @Property({ type: 'timestamptz', nullable: true })
  reopenedAt?: Date | null;

  @Field(() => DateTimeScalar, { description: 'When Lumen received the feedback (UTC); time ranges and statistics use it.' })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
