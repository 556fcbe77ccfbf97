import { Prepared, type Sql, type SqlQuery } from '../db/sql.js';
import { redactJson, type Redact } from '../logs/log.redaction.js';
import { repairText, truncateUtf8 } from '../logs/log.validation.js';
import type { SpanKind, SpanStatus } from './span.types.js';

/** A span ready to store: mapped from OTLP, capped and redacted. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  startTime: Date;
  endTime: Date;
  durationMs: number;
  status: SpanStatus;
  errorMessage: string | null;
  input: string | null;
  output: string | null;
  inputTruncated: boolean;
  outputTruncated: boolean;
  attributes: Record<string, unknown>;
  appId: string;
  sessionId: string | null;
  userId: string | null;
  model: string | null;
  provider: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

const COLUMNS: [string, string, (span: SpanRecord) => unknown][] = [
  ['trace_id', 'text', (s) => s.traceId],
  ['span_id', 'text', (s) => s.spanId],
  ['parent_span_id', 'text', (s) => s.parentSpanId],
  ['name', 'text', (s) => s.name],
  ['kind', 'text', (s) => s.kind],
  ['start_time', 'timestamptz', (s) => s.startTime],
  ['end_time', 'timestamptz', (s) => s.endTime],
  ['duration_ms', 'integer', (s) => s.durationMs],
  ['status', 'text', (s) => s.status],
  ['error_message', 'text', (s) => s.errorMessage],
  ['input', 'text', (s) => s.input],
  ['output', 'text', (s) => s.output],
  ['input_truncated', 'boolean', (s) => s.inputTruncated],
  ['output_truncated', 'boolean', (s) => s.outputTruncated],
  ['attributes', 'jsonb', (s) => JSON.stringify(s.attributes)],
  ['app_id', 'text', (s) => s.appId],
  ['session_id', 'text', (s) => s.sessionId],
  ['user_id', 'text', (s) => s.userId],
  ['model', 'text', (s) => s.model],
  ['provider', 'text', (s) => s.provider],
  ['input_tokens', 'integer', (s) => s.inputTokens],
  ['output_tokens', 'integer', (s) => s.outputTokens],
];
const NAMES = COLUMNS.map(([name]) => name).join(', ');

/*
 * One statement per batch: the spans travel as one array per column (UNNEST), the ones not stored
 * before are inserted, and only those are added to their traces' summary rows. Summaries are upserted
 * in trace id order, so two requests adding to the same traces lock them in the same order.
 */
const STORE_SQL = new Prepared(
  'span_store',
  `
  with inserted as (
    insert into span (${NAMES})
    select ${NAMES}
      from unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) as u(${NAMES})
    on conflict (trace_id, span_id, start_time) do nothing
    returning trace_id, parent_span_id, name, app_id, session_id, user_id, start_time, end_time, status
  )
  insert into trace_summary (trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count)
  select trace_id,
         min(name) filter (where parent_span_id is null),
         bool_or(parent_span_id is null),
         min(app_id), min(session_id), min(user_id),
         min(start_time), max(end_time),
         count(*), count(*) filter (where status = 'ERROR')
    from inserted
   group by trace_id
   order by trace_id
  on conflict (trace_id) do update set
    name = coalesce(excluded.name, trace_summary.name),
    has_root = trace_summary.has_root or excluded.has_root,
    app_id = coalesce(trace_summary.app_id, excluded.app_id),
    session_id = coalesce(trace_summary.session_id, excluded.session_id),
    user_id = coalesce(trace_summary.user_id, excluded.user_id),
    start_time = least(trace_summary.start_time, excluded.start_time),
    end_time = greatest(trace_summary.end_time, excluded.end_time),
    span_count = trace_summary.span_count + excluded.span_count,
    error_count = trace_summary.error_count + excluded.error_count
  returning span_count`,
);

/** What applies to span content as to log content: REDACT, STORE_CONTENT and LOG_CONTENT_MAX_BYTES. */
export interface SpanPolicy {
  redact: Redact | null;
  storeContent: boolean;
  contentMaxBytes: number;
}

/** Stores spans set-based and keeps each trace's summary row, in one transaction. */
export class SpanIngestService {
  constructor(
    private readonly sql: Sql,
    private readonly policy: SpanPolicy,
  ) {}

  /** Stores the spans in a transaction of their own, or in `query`'s when given. */
  async store(spans: readonly SpanRecord[], query?: SqlQuery): Promise<void> {
    if (spans.length === 0) return;
    const prepared = spans.map((span) => this.prepare(span));
    const values = COLUMNS.map(([, , value]) => prepared.map(value));
    if (query) await query(STORE_SQL, values);
    else await this.sql.transaction((transaction) => transaction(STORE_SQL, values));
  }

  /**
   * Content capped and redacted like a log's; text PostgreSQL cannot store (NUL, lone surrogates)
   * replaced, so that one odd span never fails the batch it came in.
   */
  private prepare(span: SpanRecord): SpanRecord {
    const { redact, storeContent, contentMaxBytes } = this.policy;
    const content = (value: string | null) =>
      value === null || !storeContent ? null : truncateUtf8(repairText(redact ? redact(value) : value), contentMaxBytes);
    const input = content(span.input);
    const output = content(span.output);
    const clean = (value: string | null) => (value === null ? null : repairText(value));
    const attributes = cleanJson(redact ? redactJson(span.attributes, redact) : span.attributes) as Record<string, unknown>;
    return {
      ...span,
      name: repairText(span.name),
      errorMessage:
        span.errorMessage === null ? null : truncateUtf8(repairText(redact ? redact(span.errorMessage) : span.errorMessage), 8 * 1024).text,
      input: input?.text ?? null,
      output: output?.text ?? null,
      inputTruncated: input?.truncated ?? false,
      outputTruncated: output?.truncated ?? false,
      attributes,
      appId: repairText(span.appId),
      sessionId: clean(span.sessionId),
      userId: clean(span.userId),
      model: clean(span.model),
      provider: clean(span.provider),
    };
  }
}

function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return repairText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [repairText(key), cleanJson(item)]));
  }
  return value;
}
