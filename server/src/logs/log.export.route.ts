import type { Router } from 'express';

import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { exportRouter, stringParams, timeParams, type ExportServices } from '../http/export-stream.js';
import { logConditions, whereClause, type LogConditions } from './log.where.js';

const COLUMNS = [
  'id',
  'eventId',
  'timestamp',
  'appId',
  'userId',
  'sessionId',
  'traceId',
  'spanId',
  'provider',
  'model',
  'operation',
  'status',
  'latencyMs',
  'timeToFirstTokenMs',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cost',
  'currency',
  'costSource',
  'errorType',
  'errorMessage',
  'tags',
  'metadata',
] as const;
const CONTENT_COLUMNS = ['prompt', 'response'] as const;

const SELECT = `l.id::text as "id", l.event_id as "eventId", l.ts as "timestamp", l.app_id as "appId", l.user_id as "userId",
  l.session_id as "sessionId", l.trace_id as "traceId", l.span_id as "spanId", l.provider, l.model, l.operation, l.status,
  l.latency_ms as "latencyMs", l.time_to_first_token_ms as "timeToFirstTokenMs", l.input_tokens as "inputTokens",
  l.output_tokens as "outputTokens", l.cached_input_tokens as "cachedInputTokens", l.cost::text as cost, l.currency,
  l.cost_source as "costSource", l.error_type as "errorType", l.error_message as "errorMessage", l.tags, l.metadata`;

const FILTERS = ['appId', 'model', 'provider', 'userId', 'status', 'traceId', 'sessionId', 'search'] as const;

export interface LogExportServices extends ExportServices {
  sql: Sql;
}

/**
 * GET /v1/export/logs?format=csv|ndjson: the logs a filter selects (the `logs` query's filters as query
 * parameters, `content=true` adds prompt and response), newest first, streamed (http/export-stream.ts).
 * READ or ADMIN keys, as for reading logs.
 */
export function logExportRouter(services: LogExportServices): Router {
  return exportRouter<LogConditions, Record<string, unknown>>(services, {
    path: '/v1/export/logs',
    filename: 'lumen-logs',
    filter(query) {
      const filter: LogConditions = { ...stringParams(query, FILTERS), ...timeParams(query) };
      // Checks the filter (a too-short search is refused here, before any byte is sent).
      logConditions(filter, new SqlParams());
      return filter;
    },
    columns: (query) => (query.content === 'true' ? [...COLUMNS, ...CONTENT_COLUMNS] : COLUMNS),
    page(filter, query, after, size) {
      const content = query.content === 'true';
      const params = new SqlParams();
      const conditions = logConditions(filter, params);
      if (after) conditions.push(`(l.ts, l.id) < (${params.add(after.timestamp)}::timestamptz, ${params.add(after.id)}::bigint)`);
      return services.sql.query<Record<string, unknown>>(
        `select ${SELECT}${content ? ', l.prompt, l.response' : ''} from app_log l ${whereClause(conditions)}
          order by l.ts desc, l.id desc limit ${size}`,
        params.values,
      );
    },
  });
}
