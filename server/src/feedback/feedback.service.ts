import DataLoader from 'dataloader';
import type { Logger } from 'pino';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { Principal } from '../auth/api-key.service.js';
import { SqlParams } from '../db/sql-params.js';
import type { Sql, SqlQuery } from '../db/sql.js';
import { notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { decodeCursor, encodeCursor, pageSize } from '../graphql/pagination.js';
import { checkRange, type TimeRange } from '../graphql/time-range.js';
import { locateLogEvent, locateLogs } from '../logs/log.locator.js';
import type { Redact } from '../logs/log.redaction.js';
import { whereClause } from '../logs/log.where.js';
import type { UserFeedback } from './feedback.entity.js';
import { lockForSubmission } from './feedback.link.js';
import { FEEDBACK_COLUMNS, toFeedback, type FeedbackRow } from './feedback.row.js';
import { countFeedback, feedbackStats } from './feedback.stats.js';
import type {
  FeedbackConnection,
  FeedbackFilter,
  FeedbackInput,
  FeedbackInterval,
  FeedbackStats,
  FeedbackStatsFilter,
} from './feedback.types.js';
import { validateFeedback, validateNote, type NormalizedFeedback } from './feedback.validation.js';
import { feedbackConditions } from './feedback.where.js';

/** What NEGATIVE_FEEDBACK_RATE measures over a window; see FeedbackService.negativeRate. */
export interface NegativeRate {
  /** negative / count, from 0 to 1; null when no feedback matched. */
  rate: number | null;
  /** Feedback received in the window and scope: the sample size to compare with a rule's minSamples. */
  count: number;
  negative: number;
}

export class FeedbackService {
  /** `redact` (REDACT, REDACT_PATTERNS) cleans comments as it cleans prompts: end users write personal data there too. */
  constructor(
    private readonly sql: Sql,
    private readonly redact: Redact | null,
    private readonly log: Logger,
  ) {}

  /**
   * Stores feedback, linked to its log when that log is already stored (otherwise linking happens when
   * it arrives). A submission repeating a stored feedbackId writes nothing and returns the stored one.
   */
  async submit(input: FeedbackInput, by?: Principal): Promise<UserFeedback> {
    const valid = validateFeedback(input);
    const feedback = valid.comment && this.redact ? { ...valid, comment: this.redact(valid.comment) } : valid;
    const { row, inserted } = await this.sql.transaction(async (query) => {
      await lockForSubmission(query);
      const [insertedRow] = await insertFeedback(query, feedback);
      if (insertedRow) return { row: insertedRow, inserted: true };
      const [stored] = await query<FeedbackRow>(`select ${FEEDBACK_COLUMNS} from user_feedback f where f.client_feedback_id = $1`, [
        feedback.feedbackId,
      ]);
      return { row: stored!, inserted: false };
    });
    this.log.debug({ feedbackId: row.id, linked: row.log_id !== null, inserted }, 'feedback stored');
    return by?.role === ApiKeyRole.INGEST && !inserted ? submittedView(toFeedback(row), feedback) : toFeedback(row);
  }

  /** Newest first, by (createdAt, id), with the same keyset cursor as the logs list. */
  async list(
    filter: FeedbackFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<FeedbackConnection> {
    const limit = pageSize(first);
    const params = new SqlParams();
    const { sql: conditions, needsLog } = feedbackConditions(filter ?? {}, params);
    if (after) {
      const position = decodeCursor(after);
      conditions.push(
        `(f.created_at, f.id) < (timestamptz 'epoch' + ${params.add(position.micros.toString())}::bigint * interval '1 microsecond', ${params.add(uuidOrThrow(position.id, 'after'))}::uuid)`,
      );
    }
    const rows = await this.sql.query<FeedbackRow>(
      `select ${FEEDBACK_COLUMNS} from user_feedback f ${needsLog ? 'join app_log l on l.id = f.log_id' : ''}
        ${whereClause(conditions)} order by f.created_at desc, f.id desc limit ${limit + 1}`,
      params.values,
    );
    const edges = rows
      .slice(0, limit)
      .map((row) => ({ cursor: encodeCursor({ micros: BigInt(row.created_micros), id: row.id }), node: toFeedback(row) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  stats(
    range: TimeRange,
    filter: FeedbackStatsFilter | null | undefined,
    interval: FeedbackInterval | null | undefined,
  ): Promise<FeedbackStats> {
    checkRange(range);
    return this.sql.withQuery((query) => feedbackStats(query, range, filter ?? {}, interval));
  }

  /**
   * NEGATIVE_FEEDBACK_RATE, for the alert engine: the share of NEGATIVE ratings among the feedback
   * received in [range.from, range.to), optionally scoped to an app and to the model of the linked log
   * (feedback not linked to a stored log yet has no model, so a model scope leaves it out). Compare
   * `count` with the rule's minimum sample count before comparing `rate` with its threshold.
   */
  async negativeRate(range: TimeRange, scope: { appId?: string | null; model?: string | null } = {}): Promise<NegativeRate> {
    const counts = await this.sql.withQuery((query) => countFeedback(query, range, { appId: scope.appId, model: scope.model }));
    return { rate: counts.negativeRate, count: counts.totalCount, negative: counts.negativeCount };
  }

  /** Marks feedback RESOLVED with a note, recording the key that did it and when; resolving again replaces them. */
  async resolve(id: string, note: string | null | undefined, by: Principal): Promise<UserFeedback> {
    const [row] = await this.sql.query<FeedbackRow>(
      `update user_feedback f set status = 'RESOLVED', resolution_note = $2, resolved_by = $3, resolved_by_key_id = $4, resolved_at = now()
        where f.id = $1 returning ${FEEDBACK_COLUMNS}`,
      [uuidOrThrow(id), validateNote(note), by.name, by.keyId],
    );
    if (!row) throw notFound('Feedback', id);
    this.log.info({ feedbackId: row.id, keyId: by.keyId }, 'feedback resolved');
    return toFeedback(row);
  }

  /** Sets RESOLVED feedback back to OPEN, recording who and when; the last resolution stays readable. Open feedback is returned unchanged. */
  async reopen(id: string, by: Principal): Promise<UserFeedback> {
    const feedbackId = uuidOrThrow(id);
    const [row] = await this.sql.query<FeedbackRow>(
      `update user_feedback f set status = 'OPEN', reopened_by = $2, reopened_by_key_id = $3, reopened_at = now()
        where f.id = $1 and f.status = 'RESOLVED' returning ${FEEDBACK_COLUMNS}`,
      [feedbackId, by.name, by.keyId],
    );
    if (row) {
      this.log.info({ feedbackId: row.id, keyId: by.keyId }, 'feedback reopened');
      return toFeedback(row);
    }
    const [current] = await this.sql.query<FeedbackRow>(`select ${FEEDBACK_COLUMNS} from user_feedback f where f.id = $1`, [feedbackId]);
    if (!current) throw notFound('Feedback', id);
    return toFeedback(current);
  }

  /** A loader of each log's feedback (newest first) that answers every log of one request with one query. */
  forLogsLoader(): DataLoader<string, UserFeedback[]> {
    return new DataLoader(async (logIds) => {
      const rows = await this.sql.query<FeedbackRow>(
        `select ${FEEDBACK_COLUMNS} from user_feedback f where f.log_id = any($1::bigint[]) order by f.created_at desc, f.id desc`,
        [logIds],
      );
      const byLog = new Map<string, UserFeedback[]>();
      for (const row of rows) {
        const list = byLog.get(row.log_id!) ?? [];
        list.push(toFeedback(row));
        byLog.set(row.log_id!, list);
      }
      return logIds.map((logId) => byLog.get(logId) ?? []);
    });
  }
}

/**
 * What an INGEST key gets back when its feedbackId was already stored: the stored id, time and status
 * with the values this call sent. An INGEST key may write feedback, not read it: resubmitting someone
 * else's feedbackId must not reveal that feedback's comment, resolution or what was filled from its log.
 */
function submittedView(stored: UserFeedback, sent: NormalizedFeedback): UserFeedback {
  return {
    id: stored.id,
    createdAt: stored.createdAt,
    status: stored.status,
    feedbackId: sent.feedbackId,
    logEventId: sent.logEventId,
    traceId: sent.traceId,
    logId: null,
    appId: sent.appId,
    userId: sent.userId,
    rating: sent.rating,
    score: sent.score,
    comment: sent.comment,
    category: sent.category,
    resolutionNote: null,
    resolvedBy: null,
    resolvedByKeyId: null,
    resolvedAt: null,
    reopenedBy: null,
    reopenedByKeyId: null,
    reopenedAt: null,
  };
}

/**
 * Inserts one feedback row linked to its log if that is stored; nothing (no row) when the feedbackId
 * exists. The log's time is looked up first (app_log_event), so that app_log is read in that day's
 * partition only.
 */
async function insertFeedback(query: SqlQuery, feedback: NormalizedFeedback): Promise<FeedbackRow[]> {
  const params = new SqlParams();
  let target = 'select null::bigint as id, null::text as trace_id, null::text as app_id, null::text as user_id';
  if (feedback.logEventId) {
    const log = await locateLogEvent(query, feedback.logEventId);
    if (log) {
      target = `select l.id, l.trace_id, l.app_id, l.user_id from app_log l
                 where l.id = ${params.add(log.id)}::bigint and l.ts = ${params.add(log.ts)}::timestamptz`;
    }
  } else if (feedback.traceId) {
    // The trace's latest log: of the logs at its last time, the last stored.
    const times = await locateLogs(query, 'trace_id', [feedback.traceId]);
    if (times) {
      target = `select l.id, l.trace_id, l.app_id, l.user_id from app_log l
                 where l.trace_id = ${params.add(feedback.traceId)} and l.ts = ${params.add(times.to)}::timestamptz
                 order by l.id desc limit 1`;
    }
  }
  const value = (v: unknown, type: string) => `${params.add(v)}::${type}`;
  return query<FeedbackRow>(
    `with target as (${target})
     insert into user_feedback as f (client_feedback_id, log_event_id, trace_id, log_id, app_id, user_id, rating, score, comment, category)
     select ${value(feedback.feedbackId, 'text')}, ${value(feedback.logEventId, 'text')}, coalesce(${value(feedback.traceId, 'text')}, t.trace_id),
            t.id, coalesce(${value(feedback.appId, 'text')}, t.app_id), coalesce(${value(feedback.userId, 'text')}, t.user_id),
            ${value(feedback.rating, 'text')}, ${value(feedback.score, 'smallint')}, ${value(feedback.comment, 'text')}, ${value(feedback.category, 'text')}
       from (select 1) as one left join target t on true
     on conflict (client_feedback_id) do nothing
     returning ${FEEDBACK_COLUMNS}`,
    params.values,
  );
}
