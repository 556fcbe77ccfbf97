import { isStorableText } from '../graphql/text-input-guard.js';
import { redactJson, type Redact } from '../logs/log.redaction.js';
import { repairText, truncateUtf8 } from '../logs/log.validation.js';
import { SpanStatus, type SpanKind } from './span.types.js';

/*
 * What a batch of spans needs before it is written, without the database: content capped and
 * redacted, the batch in key order, and for a batch stored by COPY its rows as COPY text and its
 * traces' summaries. Nothing here touches the database, so the OTLP route can run it on a worker
 * thread (otlp/otlp.workers.ts) while the main thread serves requests and talks to PostgreSQL.
 */

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

/** What applies to span content as to log content: REDACT, STORE_CONTENT and LOG_CONTENT_MAX_BYTES. */
export interface SpanPolicy {
  redact: Redact | null;
  storeContent: boolean;
  contentMaxBytes: number;
}

/** A batch of spans ready for SpanIngestService.storePrepared. */
export interface PreparedSpans {
  count: number;
  /**
   * The spans, prepared and in key order. Absent when a worker prepared a batch for COPY and sent only
   * `copy`: the rare batch COPY refuses (a retry) then asks for them again (storePrepared's `reload`).
   */
  records?: SpanRecord[];
  /** For a batch stored by COPY: its rows in COPY text and its traces' summary rows (`summarize`). */
  copy?: { rows: string; summaries: unknown[][] };
  /** The conversation names given by naming spans (SpanRecord.conversationName): trace ids and names. */
  names: [string[], string[]];
}

/**
 * Prepares a batch (prepareSpan, then key order: two requests sharing spans wait for each other's rows
 * in the same order). `copy` adds the COPY rows and summaries; `records: false` leaves the records out
 * (a worker sends only what COPY needs).
 */
export function prepareSpans(
  spans: readonly SpanRecord[],
  policy: SpanPolicy,
  options: { copy: boolean; records?: boolean },
): PreparedSpans {
  const prepared = spans.map((span) => prepareSpan(span, policy)).sort(byKey);
  const naming = prepared.filter((span) => span.conversationName != null);
  return {
    count: prepared.length,
    ...(options.records === false && options.copy ? {} : { records: prepared }),
    ...(options.copy ? { copy: { rows: copyRows(prepared), summaries: summarize(prepared) } } : {}),
    names: [naming.map((span) => span.traceId), naming.map((span) => span.conversationName!)],
  };
}

/**
 * Content capped and redacted like a log's; text PostgreSQL cannot store (NUL, lone surrogates)
 * replaced, so that one odd span never fails the batch it came in.
 */
function prepareSpan(span: SpanRecord, policy: SpanPolicy): SpanRecord {
  const { redact, storeContent, contentMaxBytes } = policy;
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

function copyRows(spans: readonly SpanRecord[]): string {
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
function summarize(spans: readonly SpanRecord[]): unknown[][] {
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
