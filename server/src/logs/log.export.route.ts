import type { Router } from 'express';

import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { ExportInputError, exportRouter, stringParams, timeParams, type ExportServices } from '../http/export-stream.js';
import { afterCondition, LogOrder, orderBy, orderColumns, orderCursor } from './log.order.js';
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
 * parameters, `content=true` adds prompt and response), newest first or in `orderBy` (a LogOrder), streamed
 * (http/export-stream.ts).
 * READ or ADMIN keys, as for reading logs.
 */
export function logExportRouter(services: LogExportServices): Router {
  type Filter = LogConditions & { order: LogOrder };
  return exportRouter<Filter, Record<string, unknown>>(services, {
    path: '/v1/export/logs',
    filename: 'lumen-logs',
    filter(query) {
      const order = query.orderBy ?? LogOrder.TIME_DESC;
      if (!Object.values<unknown>(LogOrder).includes(order))
        throw new ExportInputError(`orderBy must be one of ${Object.values(LogOrder).join(', ')}`);
      const filter: Filter = { ...stringParams(query, FILTERS), ...timeParams(query), order: order as LogOrder };
      // Checks the filter (a too-short search is refused here, before any byte is sent).
      logConditions(filter, new SqlParams());
      return filter;
    },
    columns: (query) => (query.content === 'true' ? [...COLUMNS, ...CONTENT_COLUMNS] : COLUMNS),
    page(filter, query, after, size) {
      const content = query.content === 'true';
      const params = new SqlParams();
      const conditions = logConditions(filter, params);
      const order = filter.order;
      if (after) conditions.push(afterCondition(order, orderCursor(order, after as Parameters<typeof orderCursor>[1]), params));
      return services.sql.query<Record<string, unknown>>(
        `select ${SELECT}${content ? ', l.prompt, l.response' : ''}, ${orderColumns(order)} from app_log l ${whereClause(conditions)}
          order by ${orderBy(order)} limit ${size}`,
        params.values,
      );
    },
  });
}
