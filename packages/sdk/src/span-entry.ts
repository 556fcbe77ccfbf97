import { utf8Length } from './log-entry.js';
import type { SpanScope } from './span-context.js';
import type { LogEntry } from './types.js';

/** The OpenInference span kinds (`openinference.span.kind`), as Lumen's SpanKind names them. */
export type SpanKind = 'LLM' | 'EMBEDDING' | 'CHAIN' | 'AGENT' | 'TOOL' | 'RETRIEVER' | 'RERANKER' | 'GUARDRAIL' | 'EVALUATOR';

export const SPAN_KINDS: ReadonlySet<string> = new Set<SpanKind>([
  'LLM',
  'EMBEDDING',
  'CHAIN',
  'AGENT',
  'TOOL',
  'RETRIEVER',
  'RERANKER',
  'GUARDRAIL',
  'EVALUATOR',
]);

/** Kinds whose spans are model calls: they are logged as well, and the log names the span. */
export const isModelCallKind = (kind: SpanKind): boolean => kind === 'LLM' || kind === 'EMBEDDING';

/** A span that has ended, before it is serialised. */
export interface FinishedSpan {
  scope: SpanScope;
  parentSpanId: string | undefined;
  name: string;
  kind: SpanKind;
  /** Milliseconds since the epoch, with fractions. */
  startMs: number;
  endMs: number;
  input?: unknown;
  output?: unknown;
  error?: { type?: string; message: string };
  attributes?: Record<string, AttributeValue | undefined>;
}

type AttributeValue = string | number | boolean | string[];

/** A span ready to send: its OTLP/JSON object already serialised. */
export interface PreparedSpan {
  spanId: string;
  appId: string | undefined;
  json: string;
  bytes: number;
}

// Far above what Lumen stores (it cuts and flags longer text); the bound keeps the queue's memory sane.
const MAX_VALUE_CHARS = 1024 * 1024;
const STATUS_OK = 1;
const STATUS_ERROR = 2;
const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;

/** Serialises a span as OTLP/JSON, with the OpenInference attributes Lumen reads. */
export function prepareSpan(span: FinishedSpan): PreparedSpan {
  const { scope } = span;
  const attributes: Record<string, AttributeValue | undefined> = {
    'openinference.span.kind': span.kind,
    'lumen.app_id': scope.appId,
    'session.id': scope.sessionId,
    'user.id': scope.userId,
    ...valueAttributes('input', span.input),
    ...valueAttributes('output', span.output),
    'error.type': span.error?.type,
    ...span.attributes,
  };
  const object = {
    traceId: scope.traceId,
    spanId: scope.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: isModelCallKind(span.kind) ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(Math.max(span.endMs, span.startMs)),
    attributes: Object.entries(attributes)
      .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined && entry[1] !== '')
      .map(([key, value]) => ({ key, value: anyValue(value) })),
    status: span.error ? { code: STATUS_ERROR, message: span.error.message } : { code: STATUS_OK },
  };
  const json = JSON.stringify(object);
  return { spanId: scope.spanId, appId: scope.appId, json, bytes: utf8Length(json) };
}

/** The model call `entry` (as logged) as the attributes of its LLM span. */
export function modelCallAttributes(entry: LogEntry, eventId: string): Record<string, AttributeValue | undefined> {
  const input = entry.inputTokens;
  const output = entry.outputTokens;
  return {
    'llm.model_name': entry.model,
    'llm.provider': entry.provider,
    'llm.token_count.prompt': input,
    'llm.token_count.completion': output,
    'llm.token_count.total': input !== undefined || output !== undefined ? (input ?? 0) + (output ?? 0) : undefined,
    'llm.token_count.prompt_details.cache_read': entry.cachedInputTokens,
    'gen_ai.response.time_to_first_chunk': entry.timeToFirstTokenMs === undefined ? undefined : entry.timeToFirstTokenMs / 1000,
    'lumen.event_id': eventId,
    'lumen.operation': entry.operation,
    metadata: entry.metadata && Object.keys(entry.metadata).length > 0 ? safeJson(entry.metadata) : undefined,
    'tag.tags': entry.tags && entry.tags.length > 0 ? entry.tags : undefined,
  };
}

/** Groups spans by app into one ExportTraceServiceRequest, as OTLP/JSON. */
export function exportRequest(spans: PreparedSpan[], sdkVersion: string): string {
  const byApp = new Map<string | undefined, string[]>();
  for (const span of spans) {
    const list = byApp.get(span.appId) ?? [];
    list.push(span.json);
    byApp.set(span.appId, list);
  }
  const resources = [...byApp].map(([appId, list]) => {
    const resource = JSON.stringify({
      attributes: [
        { key: 'service.name', value: { stringValue: appId ?? 'unknown_service' } },
        ...(appId ? [{ key: 'lumen.app_id', value: { stringValue: appId } }] : []),
        { key: 'telemetry.sdk.name', value: { stringValue: '@lumen/sdk' } },
      ],
    });
    const scope = JSON.stringify({ name: '@lumen/sdk', version: sdkVersion });
    return `{"resource":${resource},"scopeSpans":[{"scope":${scope},"spans":[${list.join(',')}]}]}`;
  });
  return `{"resourceSpans":[${resources.join(',')}]}`;
}

function valueAttributes(prefix: 'input' | 'output', value: unknown): Record<string, string | undefined> {
  if (value === undefined || value === null) return {};
  const text = typeof value === 'string' ? value : safeJson(value);
  if (text === undefined) return {};
  return {
    [`${prefix}.value`]: text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) : text,
    [`${prefix}.mime_type`]: typeof value === 'string' ? 'text/plain' : 'application/json',
  };
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function anyValue(value: AttributeValue): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}

function nanos(epochMs: number): string {
  // Microseconds fit a double exactly for centuries; nanoseconds would not.
  return (BigInt(Math.round(epochMs * 1000)) * 1000n).toString();
}
