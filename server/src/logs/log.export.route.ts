import express, { type Router } from 'express';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { principalOf, requireApiKey, type Authenticate } from '../http/api-key-guard.js';
import { exportFormat, streamExport } from '../http/export-stream.js';
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

export interface LogExportServices {
  sql: Sql;
  authenticate: Authenticate;
  /** A refusal when the key has used up its read budget (the rate limit), or null. */
  admit(keyId: string): Promise<number | null>;
}

/**
 * GET /v1/export/logs?format=csv|ndjson: the logs a filter selects (the `logs` query's filters as query
 * parameters, `content=true` adds prompt and response), newest first, streamed (http/export-stream.ts).
 * READ or ADMIN keys, as for reading logs.
 */
export function logExportRouter(services: LogExportServices): Router {
  const router = express.Router();
  const guard = requireApiKey(services.authenticate, (response, message) => response.json({ error: message }));
  router.get('/v1/export/logs', guard, async (request, response, next) => {
    try {
      const principal = principalOf(response)!;
      if (principal.role === ApiKeyRole.INGEST) {
        response.status(403).json({ error: 'This needs a key with role READ (or ADMIN); this key has role INGEST' });
        return;
      }
      const retryAfter = await services.admit(principal.keyId);
      if (retryAfter !== null) {
        response.setHeader('retry-after', String(retryAfter));
        response.status(429).json({ error: `Rate limit exceeded; retry after ${retryAfter} s` });
        return;
      }
      const format = exportFormat(request.query.format ?? 'csv');
      if (!format) {
        response.status(400).json({ error: 'format must be csv or ndjson' });
        return;
      }
      const filter: LogConditions = {};
      for (const key of FILTERS) {
        const value = request.query[key];
        if (typeof value === 'string' && value !== '') filter[key] = value;
      }
      for (const key of ['from', 'to'] as const) {
        const value = request.query[key];
        if (value === undefined) continue;
        const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
        if (Number.isNaN(date.getTime())) {
          response.status(400).json({ error: `${key} must be an ISO 8601 date-time` });
          return;
        }
        filter[key] = date;
      }
      const content = request.query.content === 'true';
      // Checks the filter (a too-short search is refused here, before any byte is sent).
      logConditions(filter, new SqlParams());
      const columns = content ? [...COLUMNS, ...CONTENT_COLUMNS] : COLUMNS;
      await streamExport(
        request,
        response,
        format,
        columns,
        async (after, size) => {
          const params = new SqlParams();
          const conditions = logConditions(filter, params);
          if (after) conditions.push(`(l.ts, l.id) < (${params.add(after.timestamp)}::timestamptz, ${params.add(after.id)}::bigint)`);
          return services.sql.query<Record<string, unknown>>(
            `select ${SELECT}${content ? ', l.prompt, l.response' : ''} from app_log l ${whereClause(conditions)}
              order by l.ts desc, l.id desc limit ${size}`,
            params.values,
          );
        },
        'lumen-logs',
      );
    } catch (error) {
      if (!response.headersSent && (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT') {
        response.status(400).json({ error: (error as Error).message });
        return;
      }
      if (response.headersSent) response.destroy(error as Error);
      else next(error);
    }
  });
  return router;
}
