import DataLoader from 'dataloader';

import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { bigintIdOrThrow } from '../graphql/ids.js';
import { pageSize } from '../graphql/pagination.js';
import type { AppLog } from './log.entity.js';
import { locateLogIds, locateLogs } from './log.locator.js';
import { afterCondition, LogOrder, orderBy, orderColumns, orderCursor } from './log.order.js';
import type { LogConnection, LogFilter } from './log.types.js';
import { logConditions, whereClause } from './log.where.js';

// Prompt and response can be large; lists leave them out and they are loaded only when asked for.
const SUMMARY_COLUMNS = `l.id, l.event_id, l.ts, l.received_at, l.app_id, l.user_id, l.session_id, l.trace_id, l.span_id, l.provider,
  l.model, l.operation, l.prompt_truncated, l.response_truncated, l.input_tokens, l.output_tokens,
  l.cached_input_tokens, l.latency_ms, l.time_to_first_token_ms, l.status, l.error_type, l.error_message, l.cost,
  l.currency, l.cost_source, l.cost_config_id, l.metadata, l.tags`;

interface LogRow {
  id: string;
  event_id: string;
  ts: Date;
  received_at: Date;
  app_id: string;
  user_id: string | null;
  session_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  provider: string;
  model: string;
  operation: string | null;
  prompt_truncated: boolean;
  response_truncated: boolean;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  latency_ms: number | null;
  time_to_first_token_ms: number | null;
  status: AppLog['status'];
  error_type: string | null;
  error_message: string | null;
  cost: string | null;
  currency: string;
  cost_source: AppLog['costSource'];
  cost_config_id: string | null;
  metadata: Record<string, unknown>;
  tags: string[];
}

interface ListedRow extends LogRow {
  ts_micros: string;
  sort_value?: string | null;
}

export interface LogContent {
  prompt: string | null;
  response: string | null;
}

export class LogQueryService {
  constructor(private readonly sql: Sql) {}

  /**
   * In `order` (newest first by default), by keyset: the cursor holds the row's sort value, time and id,
   * so paging never skips or repeats rows that existed when it began.
   */
  async list(
    filter: LogFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
    order: LogOrder = LogOrder.TIME_DESC,
  ): Promise<LogConnection> {
    const limit = pageSize(first);
    const params = new SqlParams();
    const conditions = logConditions(filter ?? {}, params);
    if (after) conditions.push(afterCondition(order, after, params));
    const rows = await this.sql.query<ListedRow>(
      `select ${SUMMARY_COLUMNS}, ${orderColumns(order)} from app_log l ${whereClause(conditions)}
        order by ${orderBy(order)} limit ${limit + 1}`,
      params.values,
    );
    const page = rows.slice(0, limit);
    const edges = page.map((row) => ({ cursor: orderCursor(order, row), node: toLog(row) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** One log with its prompt and response, which its detail shows: read with it, not located and read again by the content loader. */
  async byId(id: string): Promise<AppLog | null> {
    const [row] = await this.byIds<LogRow & LogContent>(`${SUMMARY_COLUMNS}, l.prompt, l.response`, [bigintIdOrThrow(id)]);
    return row ? { ...toLog(row), prompt: row.prompt, response: row.response } : null;
  }

  /** A loader of logs by id (without prompt and response) that fetches every log of one request at once. */
  loader(): DataLoader<string, AppLog | null> {
    return new DataLoader(async (ids) => {
      const rows = await this.byIds<LogRow>(SUMMARY_COLUMNS, ids);
      const byId = new Map(rows.map((row) => [row.id, toLog(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** A loader of the log of each span, keyed `traceId/spanId` (one query per request, over the days of their traces' logs). */
  spanLoader(): DataLoader<string, AppLog | null> {
    return new DataLoader(async (keys) => {
      const pairs = keys.map((key) => key.split('/') as [string, string]);
      const traces = pairs.map(([trace]) => trace);
      const times = await locateLogs(this.sql.query, 'trace_id', traces);
      const rows = times
        ? await this.sql.query<LogRow>(
            `select ${SUMMARY_COLUMNS} from app_log l
              where l.trace_id = any($1::text[]) and (l.trace_id, l.span_id) in (select * from unnest($1::text[], $2::text[]))
                and l.ts >= $3::timestamptz and l.ts <= $4::timestamptz`,
            [traces, pairs.map(([, span]) => span), times.from, times.to],
          )
        : [];
      const bySpan = new Map(rows.map((row) => [`${row.trace_id}/${row.span_id}`, toLog(row)]));
      return keys.map((key) => bySpan.get(key) ?? null);
    });
  }

  /** The model calls of some traces, oldest first (for a trace's totals and a session's turns), read from the days they are in. */
  async byTraces(traceIds: readonly string[]): Promise<AppLog[]> {
    const times = await locateLogs(this.sql.query, 'trace_id', traceIds);
    if (!times) return [];
    const rows = await this.sql.query<LogRow>(
      `select ${SUMMARY_COLUMNS} from app_log l where l.trace_id = any($1::text[]) and l.ts >= $2::timestamptz and l.ts <= $3::timestamptz
        order by l.ts, l.id`,
      [traceIds, times.from, times.to],
    );
    return rows.map(toLog);
  }

  /** A loader for prompt and response that fetches every log asked for in one request at once. */
  contentLoader(): DataLoader<string, LogContent> {
    return new DataLoader(async (ids) => {
      const rows = await this.byIds<{ id: string } & LogContent>('l.id, l.prompt, l.response', ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? { prompt: null, response: null });
    });
  }

  /**
   * Rows of app_log by id, read from the day partitions of their times (locateLogIds); an id whose log
   * has no app_log_event row (loaded straight into app_log) is looked for in every partition.
   */
  private async byIds<R extends object>(columns: string, ids: readonly string[]): Promise<R[]> {
    const { times, unlocated } = await locateLogIds(this.sql.query, ids);
    const rows = times
      ? await this.sql.query<R>(
          `select ${columns} from app_log l where l.id = any($1::bigint[]) and l.ts >= $2::timestamptz and l.ts <= $3::timestamptz`,
          [ids, times.from, times.to],
        )
      : [];
    if (unlocated.length > 0)
      rows.push(...(await this.sql.query<R>(`select ${columns} from app_log l where l.id = any($1::bigint[])`, [unlocated])));
    return rows;
  }
}

function toLog(row: LogRow): AppLog {
  return {
    id: row.id,
    eventId: row.event_id,
    timestamp: row.ts,
    receivedAt: row.received_at,
    appId: row.app_id,
    userId: row.user_id,
    sessionId: row.session_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    provider: row.provider,
    model: row.model,
    operation: row.operation,
    promptTruncated: row.prompt_truncated,
    responseTruncated: row.response_truncated,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    latencyMs: row.latency_ms,
    timeToFirstTokenMs: row.time_to_first_token_ms,
    status: row.status,
    errorType: row.error_type,
    errorMessage: row.error_message,
    cost: row.cost,
    currency: row.currency,
    costSource: row.cost_source,
    costConfigId: row.cost_config_id,
    metadata: row.metadata,
    tags: row.tags,
  };
}
