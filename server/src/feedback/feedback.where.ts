import type { SqlParams } from '../db/sql-params.js';
import type { FeedbackRating, FeedbackStatus } from './feedback.entity.js';

/** Every dimension feedback reads can be narrowed by (list, statistics, the negative-feedback rate). */
export interface FeedbackConditions {
  appId?: string | null;
  userId?: string | null;
  category?: string | null;
  rating?: FeedbackRating | null;
  status?: FeedbackStatus | null;
  traceId?: string | null;
  /** The model and provider of the linked log: feedback not linked yet has none and never matches. */
  model?: string | null;
  provider?: string | null;
  linked?: boolean | null;
  /** On createdAt, half-open [from, to). */
  from?: Date | null;
  to?: Date | null;
}

const FEEDBACK_COLUMNS = {
  appId: 'app_id',
  userId: 'user_id',
  category: 'category',
  rating: 'rating',
  status: 'status',
  traceId: 'trace_id',
} as const;

const LOG_COLUMNS = { model: 'model', provider: 'provider' } as const;

/**
 * SQL conditions on user_feedback `f`, to be joined with AND. Conditions on the linked log refer to
 * app_log `l`, joined on `l.id = f.log_id` by the caller (an inner join is right when `needsLog`).
 */
export function feedbackConditions(conditions: FeedbackConditions, params: SqlParams): { sql: string[]; needsLog: boolean } {
  const sql: string[] = [];
  for (const [key, column] of Object.entries(FEEDBACK_COLUMNS) as [keyof typeof FEEDBACK_COLUMNS, string][]) {
    const value = conditions[key];
    if (value != null) sql.push(`f.${column} = ${params.add(value)}`);
  }
  let needsLog = false;
  for (const [key, column] of Object.entries(LOG_COLUMNS) as [keyof typeof LOG_COLUMNS, string][]) {
    const value = conditions[key];
    if (value == null) continue;
    sql.push(`l.${column} = ${params.add(value)}`);
    needsLog = true;
  }
  if (conditions.linked != null) sql.push(conditions.linked ? 'f.log_id is not null' : 'f.log_id is null');
  if (conditions.from) sql.push(`f.created_at >= ${params.add(conditions.from)}`);
  if (conditions.to) sql.push(`f.created_at < ${params.add(conditions.to)}`);
  return { sql, needsLog };
}
