import { Prepared, type Sql, type SqlQuery } from '../db/sql.js';
import { isStorableText } from '../graphql/text-input-guard.js';
import { redactJson, type Redact } from '../logs/log.redaction.js';
import { repairText, truncateUtf8 } from '../logs/log.validation.js';
import { SpanStatus, type SpanKind } from './span.types.js';

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
  /**
   * Set on a span that names its conversation rather than answering in it (Dify's
   * `generate_conversation_name`): the name it gave, '' when it gave none. Its trace is then kept out of
   * its session's turns, and the name becomes the session's. Absent or null on every other span.
   */
  conversationName?: string | null;
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

/** How a trace's summary row takes in a batch's spans of that trace (`excluded`): first values kept, extents widened, counts added. */
const SUMMARY_UPSERT = `
  on conflict (trace_id) do update set
    name = coalesce(excluded.name, trace_summary.name),
    has_root = trace_summary.has_root or excluded.has_root,
    app_id = coalesce(trace_summary.app_id, excluded.app_id),
    session_id = coalesce(trace_summary.session_id, excluded.session_id),
    user_id = coalesce(trace_summary.user_id, excluded.user_id),
    start_time = least(trace_summary.start_time, excluded.start_time),
    end_time = greatest(trace_summary.end_time, excluded.end_time),
    span_count = trace_summary.span_count + excluded.span_count,
    error_count = trace_summary.error_count + excluded.error_count`;

/*
 * One statement per batch: the spans travel as one array per column (UNNEST), the ones not stored
 * before are inserted, and only those are added to their traces' summary rows. Summaries are upserted
 * in trace id order, so two requests adding to the same traces lock them in the same order. Used for
 * batches under COPY_MIN_SPANS, on the embedded database, and for a batch COPY refused as a retry.
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
  ${SUMMARY_UPSERT}`,
);

/** The spans by COPY, on PostgreSQL, for batches of COPY_MIN_SPANS or more: no array to parse and rows written in bulk. */
const COPY_SQL = `copy span (${NAMES}) from stdin`;

/** A batch's summaries, computed by the server (`summarize`) after a COPY stored every span of the batch. */
const SUMMARY_SQL = new Prepared(
  'span_summary',
  `
  insert into trace_summary (trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count)
  select * from unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                       $9::integer[], $10::integer[])
  ${SUMMARY_UPSERT}`,
);

/** The names that conversation-naming spans gave their traces' sessions (see SpanRecord.conversationName). */
const NAME_CONVERSATIONS_SQL = new Prepared(
  'span_conversation_name',
  `update trace_summary set conversation_name = u.name
     from unnest($1::text[], $2::text[]) as u(trace_id, name)
    where trace_summary.trace_id = u.trace_id`,
);

const UNIQUE_VIOLATION = '23505';

/** What applies to span content as to log content: REDACT, STORE_CONTENT and LOG_CONTENT_MAX_BYTES. */
export interface SpanPolicy {
  redact: Redact | null;
  storeContent: boolean;
  contentMaxBytes: number;
}

/**
 * The fewest spans a batch stores by COPY. Below it the one INSERT statement is cheaper than a savepoint,
 * the COPY and the summary statement: a single-span request (Dify exports each span as it ends) costs
 * about a fifth less server CPU and a tenth less PostgreSQL CPU that way, and at 20 spans the INSERT
 * takes half of PostgreSQL's CPU. From about 50 spans on, COPY costs less.
 */
export const COPY_MIN_SPANS = 50;

/** Stores spans set-based and keeps each trace's summary row, in one transaction. */
export class SpanIngestService {
  private readonly copyMinSpans: number;

  constructor(
    private readonly sql: Sql,
    private readonly policy: SpanPolicy,
    options: { copyMinSpans?: number } = {},
  ) {
    this.copyMinSpans = options.copyMinSpans ?? COPY_MIN_SPANS;
  }

  /** Stores the spans in a transaction of their own, or in `query`'s (a transaction too) when given. */
  async store(spans: readonly SpanRecord[], query?: SqlQuery): Promise<void> {
    if (spans.length === 0) return;
    // In key order: two requests sharing spans wait for each other's rows in the same order.
    const prepared = spans.map((span) => this.prepare(span)).sort(byKey);
    const bulk = prepared.length >= this.copyMinSpans;
    const write = async (transaction: SqlQuery) => {
      await (bulk && transaction.copy ? this.copy(prepared, transaction) : this.insert(prepared, transaction));
      await this.nameConversations(prepared, transaction);
    };
    if (query) await write(query);
    else if (bulk && this.sql.copies) await this.sql.transaction(write);
    // The INSERT is one statement, and so a transaction by itself: no begin and commit round trips. A
    // conversation's name (once per conversation) follows it on the same connection; a retried export
    // sets it again.
    else await this.sql.withQuery(write);
  }

  /** Marks the traces of conversation-naming spans, with the names, on their summary rows (stored just before). */
  private async nameConversations(spans: SpanRecord[], query: SqlQuery): Promise<void> {
    const naming = spans.filter((span) => span.conversationName != null);
    if (naming.length === 0) return;
    await query(NAME_CONVERSATIONS_SQL, [naming.map((span) => span.traceId), naming.map((span) => span.conversationName)]);
  }

  private async insert(spans: SpanRecord[], query: SqlQuery): Promise<void> {
    await query(
      STORE_SQL,
      COLUMNS.map(([, , value]) => spans.map(value)),
    );
  }

  /**
   * COPY stores every span or none. A batch holding a span stored before (an exporter's retry) fails
   * it on the key; the batch is then rolled back to its savepoint and stored by the INSERT, which
   * skips what is there. Otherwise every span is new, so the summaries are computed here from the batch.
   */
  private async copy(spans: SpanRecord[], query: SqlQuery): Promise<void> {
    await query('savepoint span_copy');
    try {
      await query.copy!(COPY_SQL, copyRows(spans));
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await query('rollback to savepoint span_copy');
      return this.insert(spans, query);
    }
    // The savepoint is left to the commit: releasing it would cost a round trip and change nothing.
    await query(SUMMARY_SQL, summarize(spans));
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
    // The name is content (a model wrote it from the user's first message): redacted, and left out when content is not stored.
    const conversationName =
      span.conversationName == null
        ? null
        : storeContent
          ? truncateUtf8(repairText(redact ? redact(span.conversationName) : span.conversationName), CONVERSATION_NAME_MAX_BYTES).text
          : '';
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
      conversationName,
    };
  }
}

const CONVERSATION_NAME_MAX_BYTES = 256;

const byKey = (a: SpanRecord, b: SpanRecord) =>
  a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;

/** A text value in COPY's text format: \\N for null; backslash, tab, newline and carriage return escaped. */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]!) : value;
}
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyNumber = (value: number | null) => (value === null ? '\\N' : `${value}`);
const copyBoolean = (value: boolean) => (value ? 't' : 'f');

/**
 * A span as a line of COPY text, its columns in COLUMNS' order (a test stores a span with every column
 * set, no two alike, both ways and checks each column). Written out rather than looped over COLUMNS:
 * this runs for every span of a large batch, and the loop's generic value dispatch cost 30–50 % more.
 */
function copyLine(s: SpanRecord): string {
  return `${copyText(s.traceId)}\t${copyText(s.spanId)}\t${copyText(s.parentSpanId)}\t${copyText(s.name)}\t${copyText(s.kind)}\t${s.startTime.toISOString()}\t${s.endTime.toISOString()}\t${copyNumber(s.durationMs)}\t${copyText(s.status)}\t${copyText(s.errorMessage)}\t${copyText(s.input)}\t${copyText(s.output)}\t${copyBoolean(s.inputTruncated)}\t${copyBoolean(s.outputTruncated)}\t${copyText(JSON.stringify(s.attributes))}\t${copyText(s.appId)}\t${copyText(s.sessionId)}\t${copyText(s.userId)}\t${copyText(s.model)}\t${copyText(s.provider)}\t${copyNumber(s.inputTokens)}\t${copyNumber(s.outputTokens)}\n`;
}

function copyRows(spans: SpanRecord[]): string {
  let rows = '';
  for (const span of spans) rows += copyLine(span);
  return rows;
}

/**
 * The summary rows of a batch that was stored whole, as STORE_SQL aggregates its inserted spans: per
 * trace (in trace id order), the least root name, app, session and user, the extent, and the counts.
 * "Least" compares code points here and follows the collation there; the two can differ only for a
 * trace whose spans in one batch carry two root names or two apps.
 */
function summarize(spans: SpanRecord[]): unknown[][] {
  const least = (a: string | null, b: string | null) => (a === null ? b : b === null || a <= b ? a : b);
  const traces = new Map<
    string,
    {
      name: string | null;
      root: boolean;
      app: string;
      session: string | null;
      user: string | null;
      start: Date;
      end: Date;
      spans: number;
      errors: number;
    }
  >();
  for (const span of spans) {
    const root = span.parentSpanId === null;
    const trace = traces.get(span.traceId);
    if (!trace) {
      traces.set(span.traceId, {
        name: root ? span.name : null,
        root,
        app: span.appId,
        session: span.sessionId,
        user: span.userId,
        start: span.startTime,
        end: span.endTime,
        spans: 1,
        errors: span.status === SpanStatus.ERROR ? 1 : 0,
      });
      continue;
    }
    if (root) trace.name = least(trace.name, span.name);
    trace.root ||= root;
    trace.app = least(trace.app, span.appId)!;
    trace.session = least(trace.session, span.sessionId);
    trace.user = least(trace.user, span.userId);
    if (span.startTime < trace.start) trace.start = span.startTime;
    if (span.endTime > trace.end) trace.end = span.endTime;
    trace.spans += 1;
    if (span.status === SpanStatus.ERROR) trace.errors += 1;
  }
  const ids = [...traces.keys()].sort();
  const rows = ids.map((id) => traces.get(id)!);
  return [
    ids,
    rows.map((t) => t.name),
    rows.map((t) => t.root),
    rows.map((t) => t.app),
    rows.map((t) => t.session),
    rows.map((t) => t.user),
    rows.map((t) => t.start),
    rows.map((t) => t.end),
    rows.map((t) => t.spans),
    rows.map((t) => t.errors),
  ];
}

/** Attributes as PostgreSQL can store them: the same object when nothing in it needs repair, else a repaired copy. */
function cleanJson(value: unknown): unknown {
  return needsRepair(value) ? repairJson(value) : value;
}

function needsRepair(value: unknown): boolean {
  if (typeof value === 'string') return !isStorableText(value);
  if (Array.isArray(value)) return value.some(needsRepair);
  if (value && typeof value === 'object') {
    for (const key in value) if (needsRepair(key) || needsRepair((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function repairJson(value: unknown): unknown {
  if (typeof value === 'string') return repairText(value);
  if (Array.isArray(value)) return value.map(repairJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [repairText(key), repairJson(item)]));
  }
  return value;
}
