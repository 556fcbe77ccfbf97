import { Check, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

export enum FeedbackRating {
  POSITIVE = 'POSITIVE',
  NEGATIVE = 'NEGATIVE',
}

export enum FeedbackStatus {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}

/**
 * What an end user thought of an answer. `logEventId`/`traceId` name the model call it judges; `logId`
 * is filled once that log is stored, which may be after the feedback arrives.
 */
@Entity({ tableName: 'user_feedback' })
@Check({ name: 'user_feedback_score_check', expression: 'score is null or (score >= 1 and score <= 5)' })
@Index({ name: 'user_feedback_created_index', expression: 'create index "user_feedback_created_index" on "user_feedback" ("created_at" desc, "id" desc)' })
@Index({ name: 'user_feedback_log_event_index', expression: 'create index "user_feedback_log_event_index" on "user_feedback" ("log_event_id") where "log_event_id" is not null' })
@Index({ name: 'user_feedback_trace_index', expression: 'create index "user_feedback_trace_index" on "user_feedback" ("trace_id") where "trace_id" is not null' })
@Index({ name: 'user_feedback_log_index', expression: 'create index "user_feedback_log_index" on "user_feedback" ("log_id") where "log_id" is not null' })
export class UserFeedback {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text', nullable: true, unique: 'user_feedback_client_feedback_id_unique' })
  clientFeedbackId?: string | null;

  @Property({ type: 'text', nullable: true })
  logEventId?: string | null;

  @Property({ type: 'text', nullable: true })
  traceId?: string | null;

  @Property({ type: 'bigint', nullable: true })
  logId?: string | null;

  @Property({ type: 'text', nullable: true })
  appId?: string | null;

  @Property({ type: 'text', nullable: true })
  userId?: string | null;

  @Enum({ items: () => FeedbackRating })
  rating!: FeedbackRating;

  @Property({ type: 'smallint', nullable: true })
  score?: number | null;

  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Property({ type: 'text', nullable: true })
  category?: string | null;

  @Enum({ items: () => FeedbackStatus, default: FeedbackStatus.OPEN })
  status: FeedbackStatus = FeedbackStatus.OPEN;

  @Property({ type: 'text', nullable: true })
  resolutionNote?: string | null;

  @Property({ type: 'text', nullable: true })
  resolvedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
