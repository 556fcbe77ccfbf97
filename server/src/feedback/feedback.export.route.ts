import type { Router } from 'express';

import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { ExportInputError, exportRouter, stringParams, timeParams, type ExportServices } from '../http/export-stream.js';
import { FeedbackRating, FeedbackStatus } from './feedback.entity.js';
import { feedbackConditions, type FeedbackConditions } from './feedback.where.js';

const COLUMNS = [
  'id',
  'feedbackId',
  'createdAt',
  'rating',
  'score',
  'category',
  'comment',
  'status',
  'appId',
  'userId',
  'traceId',
  'logEventId',
  'logId',
  'model',
  'provider',
  'resolutionNote',
  'resolvedBy',
  'resolvedAt',
] as const;

const SELECT = `f.id::text as "id", f.client_feedback_id as "feedbackId", f.created_at as "createdAt", f.rating, f.score,
  f.category, f.comment, f.status, f.app_id as "appId", f.user_id as "userId", f.trace_id as "traceId",
  f.log_event_id as "logEventId", f.log_id::text as "logId", l.model, l.provider, f.resolution_note as "resolutionNote",
  f.resolved_by as "resolvedBy", f.resolved_at as "resolvedAt",
  (extract(epoch from f.created_at) * 1000000)::bigint::text as "createdMicros"`;

const FILTERS = ['appId', 'userId', 'category', 'traceId', 'model', 'provider'] as const;

function enumParam<T extends string>(value: unknown, allowed: Record<string, T>, name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  const found = Object.values(allowed).find((option) => option === value);
  if (!found) throw new ExportInputError(`${name} must be one of ${Object.values(allowed).join(', ')}`);
  return found;
}

export interface FeedbackExportServices extends ExportServices {
  sql: Sql;
}

/**
 * GET /v1/export/feedback?format=csv|ndjson: the feedback a filter selects (the `feedback` query's
 * filters as query parameters: appId, userId, category, rating, status, traceId, model, provider,
 * linked, from, to), newest first, with the model and provider of its log, streamed. READ or ADMIN keys.
 */
export function feedbackExportRouter(services: FeedbackExportServices): Router {
  return exportRouter<FeedbackConditions, Record<string, unknown>>(services, {
    path: '/v1/export/feedback',
    filename: 'lumen-feedback',
    filter(query) {
      const linked = query.linked;
      if (linked !== undefined && linked !== 'true' && linked !== 'false') throw new ExportInputError('linked must be true or false');
      return {
        ...stringParams(query, FILTERS),
        ...timeParams(query),
        rating: enumParam(query.rating, FeedbackRating, 'rating'),
        status: enumParam(query.status, FeedbackStatus, 'status'),
        linked: linked === undefined ? undefined : linked === 'true',
      };
    },
    columns: () => COLUMNS,
    page(filter, _query, after, size) {
      const params = new SqlParams();
      const { sql: conditions } = feedbackConditions(filter, params);
      if (after) {
        const at = params.add(after.createdMicros);
        conditions.push(
          `(f.created_at, f.id) < (timestamptz 'epoch' + ${at}::bigint * interval '1 microsecond', ${params.add(after.id)}::uuid)`,
        );
      }
      // A filter on the log's model or provider keeps only linked feedback, as the feedback query does.
      const join = filter.model != null || filter.provider != null ? 'join' : 'left join';
      return services.sql.query<Record<string, unknown>>(
        `select ${SELECT} from user_feedback f ${join} app_log l on l.id = f.log_id
          ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
          order by f.created_at desc, f.id desc limit ${size}`,
        params.values,
      );
    },
  });
}
