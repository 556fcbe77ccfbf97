import { Decimal } from 'decimal.js';

import type { Sql } from '../db/sql.js';
import { badUserInput } from '../graphql/errors.js';
import { decodeCursor, encodeCursor, pageSize } from '../graphql/pagination.js';
import { locateLogs } from '../logs/log.locator.js';
import type { Span } from './span.entity.js';
import {
  SpanStatus,
  type Session,
  type SessionConnection,
  type SessionFilter,
  type Trace,
  type TraceConnection,
  type TraceFilter,
} from './span.types.js';

interface SummaryRow {
  trace_id: string;
  name: string | null;
  has_root: boolean;
  app_id: string | null;
  session_id: string | null;
  user_id: string | null;
  start_time: Date;
  end_time: Date;
  span_count: number;
  error_count: number;
  micros: string;
}

interface CallTotals {
  calls: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  cost: string;
}

const SUMMARY_COLUMNS = `trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count,
  (extract(epoch from start_time) * 1000000)::bigint::text as micros`;

const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, error_message,
  input, output, input_truncated, output_truncated, attributes, app_id, session_id, user_id, model, provider,
  input_tokens, output_tokens, received_at`;

interface SessionRow {
  session_id: string;
  app_id: string | null;
  user_id: string | null;
  first_at: Date;
  last_at: Date;
  trace_count: number;
  error_count: number;
  name: string | null;
  micros: string;
}

const SESSION_SCAN_CHUNK = 500;

/** A trace that is a turn of its session, not the one naming it. */
const TURN = 'conversation_name is null';

const NO_CALLS: CallTotals = { calls: 0, failed: 0, inputTokens: 0, outputTokens: 0, cost: '0' };

/** Traces and sessions, read from trace_summary (lists) and span (one trace), with totals over their logs. */
export class TraceQueryService {
  constructor(private readonly sql: Sql) {}

  async byId(traceId: string): Promise<Trace | null> {
    const [row] = await this.sql.query<SummaryRow>(`select ${SUMMARY_COLUMNS} from trace_summary where trace_id = $1`, [traceId]);
    if (!row) return null;
    return toTrace(row, (await this.callTotals('trace_id', [traceId])).get(traceId) ?? NO_CALLS);
  }

  /**
   * A trace's spans, parents before children; spans whose parent never arrived come first, as roots.
   * Every span starts within its trace's summary extent, which is given as parameters so that the
   * statement is planned for the day partitions of that extent only (read from the summary inside the
   * statement, it was planned for every partition and pruned only when run).
   */
  async spans(traceId: string): Promise<Span[]> {
    // As text: to the microsecond, where a Date would drop a span that starts in the extent's last millisecond.
    const [extent] = await this.sql.query<{ first: string; last: string }>(
      'select start_time::text as first, end_time::text as last from trace_summary where trace_id = $1',
      [traceId],
    );
    if (!extent) return [];
    const rows = await this.sql.query<Record<string, unknown>>(
      `select ${SPAN_COLUMNS} from span where trace_id = $1 and start_time >= $2::timestamptz and start_time <= $3::timestamptz
        order by start_time, span_id`,
      [traceId, extent.first, extent.last],
    );
    return treeOrder(rows.map(toSpan));
  }

  async list(filter: TraceFilter | null, first: number | null, after: string | null): Promise<TraceConnection> {
    const limit = pageSize(first);
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    if (filter?.appId) add('app_id = ?', filter.appId);
    if (filter?.userId) add('user_id = ?', filter.userId);
    if (filter?.sessionId) add('session_id = ?', filter.sessionId);
    if (filter?.name) add('name = ?', filter.name);
    if (filter?.from) add('start_time >= ?', filter.from);
    if (filter?.to) add('start_time < ?', filter.to);
    if (filter?.status === SpanStatus.ERROR) conditions.push('error_count > 0');
    else if (filter?.status) conditions.push('error_count = 0');
    if (after) {
      const position = decodeCursor(after);
      values.push(position.micros.toString(), position.id);
      conditions.push(
        `((extract(epoch from start_time) * 1000000)::bigint, trace_id) < ($${values.length - 1}::bigint, $${values.length})`,
      );
    }
    const rows = await this.sql.query<SummaryRow>(
      `select ${SUMMARY_COLUMNS} from trace_summary ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
        order by start_time desc, trace_id desc limit ${limit + 1}`,
      values,
    );
    const page = rows.slice(0, limit);
    const totals = await this.callTotals(
      'trace_id',
      page.map((row) => row.trace_id),
    );
    const edges = page.map((row) => ({
      cursor: encodeCursor({ micros: BigInt(row.micros), id: row.trace_id }),
      node: toTrace(row, totals.get(row.trace_id) ?? NO_CALLS),
    }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** A session's traces, oldest first. */
  async tracesOfSession(sessionId: string): Promise<Trace[]> {
    const rows = await this.sql.query<SummaryRow>(
      `select ${SUMMARY_COLUMNS} from trace_summary where session_id = $1 and ${TURN} order by start_time, trace_id limit 1000`,
      [sessionId],
    );
    const totals = await this.callTotals(
      'trace_id',
      rows.map((row) => row.trace_id),
    );
    return rows.map((row) => toTrace(row, totals.get(row.trace_id) ?? NO_CALLS));
  }

  async session(sessionId: string): Promise<Session | null> {
    const page = await this.sessionRows({ sessionId }, 1, null);
    return page.rows[0] ?? null;
  }

  async sessions(filter: SessionFilter | null, first: number | null, after: string | null): Promise<SessionConnection> {
    const limit = pageSize(first);
    const { rows, more } = await this.sessionRows(filter ?? {}, limit, after);
    const edges = rows.map((node) => ({ cursor: sessionCursor(node), node }));
    return { edges, nodes: rows, pageInfo: { hasNextPage: more, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /**
   * Sessions grouped from trace summaries (one row per trace, not per span), most recently active first,
   * with their model calls' totals from app_log (app_log_session_index). A trace that names its
   * conversation (trace_summary.conversation_name set) gives the session its name and is not one of its
   * turns: it is counted in neither its traces, times nor errors, and a session of such traces alone is
   * not listed.
   */
  private async sessionRows(
    filter: SessionFilter & { sessionId?: string },
    limit: number,
    after: string | null,
  ): Promise<{ rows: Session[]; more: boolean }> {
    const conditions = ['session_id is not null'];
    const having: string[] = [];
    const values: unknown[] = [];
    const add = (list: string[], sql: string, value: unknown) => {
      values.push(value);
      list.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.sessionId) add(conditions, 'session_id = ?', filter.sessionId);
    if (filter.appId) add(conditions, 'app_id = ?', filter.appId);
    // The naming trace carries no end user; it stays in the group so the session keeps its name.
    if (filter.userId) add(conditions, `(user_id = ? or not ${TURN})`, filter.userId);
    if (filter.from) add(having, 'max(end_time) >= ?', filter.from);
    if (filter.to) add(having, 'min(start_time) < ?', filter.to);
    if (after) {
      const { micros, sessionId } = decodeSessionCursor(after);
      values.push(micros, sessionId);
      having.push(
        `((extract(epoch from max(start_time)) * 1000000)::bigint, session_id) < ($${values.length - 1}::bigint, $${values.length})`,
      );
    }
    const aggregate = (candidates: string[] | null) =>
      this.sql.query<SessionRow>(
        `select session_id, min(app_id) as app_id, min(user_id) as user_id,
                min(start_time) filter (where ${TURN}) as first_at, max(end_time) filter (where ${TURN}) as last_at,
                (count(*) filter (where ${TURN}))::int as trace_count,
                coalesce(sum(error_count) filter (where ${TURN}), 0)::int as error_count,
                max(conversation_name) filter (where conversation_name <> '') as name,
                (extract(epoch from max(start_time)) * 1000000)::bigint::text as micros
           from trace_summary where ${conditions.join(' and ')}${candidates ? ` and session_id = any($${values.length + 1}::text[])` : ''}
          group by session_id having ${[`count(*) filter (where ${TURN}) > 0`, ...having].join(' and ')}
          order by max(start_time) desc, session_id desc limit ${limit + 1}`,
        candidates ? [...values, candidates] : values,
      );
    const rows = filter.sessionId ? await aggregate(null) : await this.recentSessions(filter, after, limit, aggregate);
    const page = rows.slice(0, limit);
    const totals = await this.callTotals(
      'session_id',
      page.map((row) => row.session_id),
    );
    return {
      more: rows.length > limit,
      rows: page.map((row) => {
        const calls = totals.get(row.session_id) ?? NO_CALLS;
        return {
          sessionId: row.session_id,
          appId: row.app_id,
          userId: row.user_id,
          name: row.name,
          firstAt: row.first_at,
          lastAt: row.last_at,
          traceCount: row.trace_count,
          llmCallCount: calls.calls,
          totalTokens: calls.inputTokens + calls.outputTokens,
          totalCost: calls.cost,
          errorCount: row.error_count,
          cursorMicros: row.micros,
        } as Session & { cursorMicros: string };
      }),
    };
  }

  /**
   * The first page of sessions without grouping every trace: the most recently active sessions are those
   * of the most recent traces, so traces are read newest first (trace_summary_start_index) in chunks, and
   * only the sessions found so far are aggregated (trace_summary_session_index), until a page is full or
   * the traces run out. The aggregate keeps the exact order and filters; this only bounds what it reads.
   */
  private async recentSessions(
    filter: SessionFilter,
    after: string | null,
    limit: number,
    aggregate: (candidates: string[]) => Promise<SessionRow[]>,
  ): Promise<SessionRow[]> {
    const scanValues: unknown[] = [];
    const scan: string[] = ['session_id is not null'];
    if (filter.appId) scan.push(`app_id = $${scanValues.push(filter.appId)}`);
    if (filter.userId) scan.push(`user_id = $${scanValues.push(filter.userId)}`);
    if (after) scan.push(`start_time <= to_timestamp($${scanValues.push(decodeSessionCursor(after).micros)}::bigint / 1000000.0)`);
    const candidates = new Set<string>();
    let position: { start: Date; traceId: string } | null = null;
    for (;;) {
      const keyset: string = position ? ` and (start_time, trace_id) < ($${scanValues.length + 1}, $${scanValues.length + 2})` : '';
      const chunk: { session_id: string; start_time: Date; trace_id: string }[] = await this.sql.query(
        `select session_id, start_time, trace_id from trace_summary where ${scan.join(' and ')}${keyset}
          order by start_time desc, trace_id desc limit ${SESSION_SCAN_CHUNK}`,
        position ? [...scanValues, position.start, position.traceId] : scanValues,
      );
      for (const row of chunk) candidates.add(row.session_id);
      const last = chunk.at(-1);
      const exhausted = chunk.length < SESSION_SCAN_CHUNK;
      if (candidates.size > limit || exhausted) {
        const rows = await aggregate([...candidates]);
        if (rows.length > limit || exhausted) return rows;
      }
      position = { start: last!.start_time, traceId: last!.trace_id };
    }
  }

  /** Calls, tokens and exact cost of the logs of some traces or sessions, in one grouped query over the days they are in. */
  private async callTotals(column: 'trace_id' | 'session_id', keys: string[]): Promise<Map<string, CallTotals>> {
    const times = await locateLogs(this.sql.query, column, keys);
    if (!times) return new Map();
    const rows = await this.sql.query<{ key: string; calls: number; failed: number; input: string; output: string; cost: string | null }>(
      `select ${column} as key, count(*)::int as calls, count(*) filter (where status = 'ERROR')::int as failed,
              coalesce(sum(input_tokens), 0)::text as input, coalesce(sum(output_tokens), 0)::text as output, sum(cost)::text as cost
         from app_log where ${column} = any($1::text[]) and ts >= $2::timestamptz and ts <= $3::timestamptz group by ${column}`,
      [keys, times.from, times.to],
    );
    return new Map(
      rows.map((row) => [
        row.key,
        {
          calls: row.calls,
          failed: row.failed,
          inputTokens: Number(row.input),
          outputTokens: Number(row.output),
          cost: row.cost === null ? '0' : new Decimal(row.cost).toFixed(),
        },
      ]),
    );
  }
}

function toTrace(row: SummaryRow, calls: CallTotals): Trace {
  return {
    traceId: row.trace_id,
    name: row.name,
    hasRoot: row.has_root,
    appId: row.app_id,
    sessionId: row.session_id,
    userId: row.user_id,
    startTime: row.start_time,
    durationMs: Math.max(0, row.end_time.getTime() - row.start_time.getTime()),
    status: row.error_count > 0 ? SpanStatus.ERROR : SpanStatus.OK,
    spanCount: row.span_count,
    errorCount: row.error_count,
    llmCallCount: calls.calls,
    inputTokens: calls.inputTokens,
    outputTokens: calls.outputTokens,
    totalCost: calls.cost,
  };
}

function toSpan(row: Record<string, unknown>): Span {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: row.kind,
    startTime: row.start_time,
    endTime: row.end_time,
    durationMs: row.duration_ms,
    status: row.status,
    errorMessage: row.error_message,
    input: row.input,
    output: row.output,
    inputTruncated: row.input_truncated,
    outputTruncated: row.output_truncated,
    attributes: row.attributes,
    appId: row.app_id,
    sessionId: row.session_id,
    userId: row.user_id,
    model: row.model,
    provider: row.provider,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    receivedAt: row.received_at,
  } as Span;
}

/**
 * Depth-first from the roots, siblings by start time. Order comes from parent links, not start times:
 * Dify's root span is created when the trace is exported, after its children started. A span whose
 * parent is not in the trace (not arrived, or never sent) is treated as a root.
 */
export function treeOrder(spans: Span[]): Span[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId ? span.parentSpanId : null;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  const ordered: Span[] = [];
  const seen = new Set<string>();
  const visit = (span: Span) => {
    if (seen.has(span.spanId)) return;
    seen.add(span.spanId);
    ordered.push(span);
    for (const child of children.get(span.spanId) ?? []) visit(child);
  };
  const roots = (children.get(null) ?? []).sort((a, b) => Number(a.parentSpanId !== null) - Number(b.parentSpanId !== null));
  for (const root of roots) visit(root);
  // Spans caught in a parent cycle are not reachable from a root: keep them, at the end.
  for (const span of spans) visit(span);
  return ordered;
}

function sessionCursor(session: Session): string {
  const micros = (session as Session & { cursorMicros: string }).cursorMicros;
  return Buffer.from(JSON.stringify([micros, session.sessionId]), 'utf8').toString('base64url');
}

function decodeSessionCursor(cursor: string): { micros: string; sessionId: string } {
  try {
    const [micros, sessionId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof micros === 'string' && /^-?\d{1,19}$/.test(micros) && typeof sessionId === 'string') return { micros, sessionId };
  } catch {
    // refused below
  }
  throw badUserInput('after', 'is not a cursor returned by this API');
}
