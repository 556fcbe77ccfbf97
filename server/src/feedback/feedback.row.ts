import type { FeedbackRating, FeedbackStatus, UserFeedback } from './feedback.entity.js';

/** The columns every feedback read selects (table aliased `f`), with the keyset position of the row. */
export const FEEDBACK_COLUMNS = `f.id, f.client_feedback_id, f.log_event_id, f.trace_id, f.log_id, f.app_id, f.user_id, f.rating,
  f.score, f.comment, f.category, f.status, f.resolution_note, f.resolved_by, f.resolved_by_key_id, f.resolved_at,
  f.reopened_by, f.reopened_by_key_id, f.reopened_at, f.created_at, (extract(epoch from f.created_at) * 1000000)::bigint as created_micros`;

export interface FeedbackRow {
  id: string;
  client_feedback_id: string | null;
  log_event_id: string | null;
  trace_id: string | null;
  log_id: string | null;
  app_id: string | null;
  user_id: string | null;
  rating: FeedbackRating;
  score: number | null;
  comment: string | null;
  category: string | null;
  status: FeedbackStatus;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_by_key_id: string | null;
  resolved_at: Date | null;
  reopened_by: string | null;
  reopened_by_key_id: string | null;
  reopened_at: Date | null;
  created_at: Date;
  created_micros: string;
}

export function toFeedback(row: FeedbackRow): UserFeedback {
  return {
    id: row.id,
    feedbackId: row.client_feedback_id,
    logEventId: row.log_event_id,
    traceId: row.trace_id,
    logId: row.log_id,
    appId: row.app_id,
    userId: row.user_id,
    rating: row.rating,
    score: row.score,
    comment: row.comment,
    category: row.category,
    status: row.status,
    resolutionNote: row.resolution_note,
    resolvedBy: row.resolved_by,
    resolvedByKeyId: row.resolved_by_key_id,
    resolvedAt: row.resolved_at,
    reopenedBy: row.reopened_by,
    reopenedByKeyId: row.reopened_by_key_id,
    reopenedAt: row.reopened_at,
    createdAt: row.created_at,
  };
}
