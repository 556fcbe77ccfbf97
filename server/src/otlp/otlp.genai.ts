import type { LogInput } from '../logs/log.types.js';
import type { Attributes, AttributeValue, OtlpSpan } from './otlp.decode.js';
import { appIdOf, endUserOf, metadataObject, normalizeProvider as normalizePluginProvider } from './otlp.spans.js';

/**
 * Maps an OpenTelemetry span following the GenAI semantic conventions (gen_ai.* attributes) to a
 * Lumen log. Spans without GenAI attributes are not model calls and give null.
 *
 * The event id is derived from the trace and span ids, so an exporter retrying a batch stores nothing
 * twice. Older attribute names that instrumentations still send are read as fallbacks.
 */
export function spanToLog(span: OtlpSpan): LogInput | null {
  const openinference = text(span.attributes['openinference.span.kind'])?.toUpperCase();
  if (openinference === 'LLM' || openinference === 'EMBEDDING') return openInferenceToLog(span, openinference);
  const attr = (...keys: string[]) => first(span.attributes, keys) ?? first(span.resource, keys);
  const system = text(attr('gen_ai.provider.name', 'gen_ai.system'));
  const model = text(attr('gen_ai.response.model', 'gen_ai.request.model'));
  const operation = text(attr('gen_ai.operation.name'));
  if (!system && !model && !operation) return null;

  const durationMs = span.endNanos > span.startNanos ? Number((span.endNanos - span.startNanos) / 1_000_000n) : null;
  const isError = span.status.code === STATUS_CODE_ERROR;
  const errorType = text(attr('error.type'));
  return {
    eventId: span.traceId && span.spanId ? `otlp-${span.traceId}-${span.spanId}` : null,
    timestamp: span.startNanos > 0n ? new Date(Number(span.startNanos / 1_000_000n)) : null,
    appId: appIdOf(span),
    userId: text(attr('user.id', 'enduser.id')),
    sessionId: text(attr('gen_ai.conversation.id', 'session.id')),
    traceId: span.traceId || null,
    spanId: span.spanId || null,
    provider: normalizeProvider(system) ?? 'unknown',
    model: model ?? 'unknown',
    operation,
    prompt: promptOf(span),
    response: responseOf(span),
    inputTokens: count(attr('gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens')),
    outputTokens: count(attr('gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens')),
    cachedInputTokens: count(
      attr('gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'gen_ai.usage.input_tokens.cached'),
    ),
    latencyMs: durationMs,
    timeToFirstTokenMs: seconds(attr('gen_ai.response.time_to_first_chunk')),
    status: isError || errorType ? 'ERROR' : 'SUCCESS',
    errorType: errorType ?? (isError ? 'error' : null),
    errorMessage: isError && span.status.message ? span.status.message : null,
    metadata: metadataOf(span),
  };
}

const STATUS_CODE_ERROR = 2;
const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

// gen_ai.provider.name values of the semantic conventions, mapped to the provider names prices use.
const PROVIDERS: Record<string, string> = {
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  'aws.bedrock': 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  'az.ai.openai': 'azure',
  'az.ai.inference': 'azure',
  x_ai: 'x-ai',
  xai: 'x-ai',
  mistral_ai: 'mistral',
  'ibm.watsonx.ai': 'ibm',
};

function normalizeProvider(system: string | null): string | null {
  if (!system) return null;
  const lower = system.toLowerCase();
  return PROVIDERS[lower] ?? lower;
}

// Attributes already mapped to log fields, or too large to repeat in metadata.
const MAPPED = new Set([
  'gen_ai.provider.name',
  'gen_ai.system',
  'gen_ai.response.model',
  'gen_ai.request.model',
  'gen_ai.operation.name',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'gen_ai.usage.input_tokens.cached',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.conversation.id',
  'session.id',
  'user.id',
  'enduser.id',
  'error.type',
  'lumen.app_id',
  'gen_ai.response.time_to_first_chunk',
]);
const METADATA_BUDGET = 8 * 1024;

function metadataOf(span: OtlpSpan): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    'otel.span_name': span.name,
    'otel.span_kind': SPAN_KINDS[span.kind] ?? String(span.kind),
    'otel.span_id': span.spanId,
    ...(span.parentSpanId ? { 'otel.parent_span_id': span.parentSpanId } : {}),
    ...(span.scope.name ? { 'otel.scope': span.scope.version ? `${span.scope.name}@${span.scope.version}` : span.scope.name } : {}),
  };
  let size = JSON.stringify(metadata).length;
  for (const [key, value] of Object.entries(span.attributes)) {
    if (MAPPED.has(key) || /^gen_ai\.(prompt|completion)\.\d+\./.test(key)) continue;
    const entry = JSON.stringify(value).length + key.length + 6;
    // Keep metadata well under the log's metadata limit; what does not fit is left out, not refused.
    if (size + entry > METADATA_BUDGET) continue;
    metadata[key] = value;
    size += entry;
  }
  return metadata;
}

function promptOf(span: OtlpSpan): string | null {
  const a = span.attributes;
  const system = text(a['gen_ai.system_instructions']) ?? jsonText(a['gen_ai.system_instructions']);
  const messages =
    jsonText(a['gen_ai.input.messages']) ??
    text(a['gen_ai.prompt']) ??
    indexed(a, 'gen_ai.prompt') ??
    detailsOf(span, 'gen_ai.input.messages') ??
    eventContent(span, PROMPT_EVENTS);
  return join(system, messages);
}

function responseOf(span: OtlpSpan): string | null {
  const a = span.attributes;
  return (
    jsonText(a['gen_ai.output.messages']) ??
    text(a['gen_ai.completion']) ??
    indexed(a, 'gen_ai.completion') ??
    detailsOf(span, 'gen_ai.output.messages') ??
    eventContent(span, RESPONSE_EVENTS)
  );
}

const PROMPT_EVENTS = new Set([
  'gen_ai.system.message',
  'gen_ai.user.message',
  'gen_ai.assistant.message',
  'gen_ai.tool.message',
  'gen_ai.content.prompt',
]);
const RESPONSE_EVENTS = new Set(['gen_ai.choice', 'gen_ai.content.completion']);

/** Message content carried by span events (the event-based convention), in event order. */
function eventContent(span: OtlpSpan, names: Set<string>): string | null {
  const parts = span.events
    .filter((event) => names.has(event.name))
    .map(
      (event) =>
        text(event.attributes.content) ??
        text(event.attributes['gen_ai.prompt']) ??
        text(event.attributes['gen_ai.completion']) ??
        jsonText(event.attributes.message),
    )
    .filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join('\n') : null;
}

/**
 * The `gen_ai.client.inference.operation.details` event (the conventions' opt-in record of the messages,
 * sent as a span event by instrumentations that have no log pipeline).
 */
function detailsOf(span: OtlpSpan, key: string): string | null {
  const event = span.events.find((e) => e.name === 'gen_ai.client.inference.operation.details');
  return event ? jsonText(event.attributes[key]) : null;
}

/**
 * A model call instrumented with the OpenInference conventions (Arize Phoenix, LlamaIndex, LangChain,
 * the OpenAI SDK instrumentation, Dify's built-in tracing).
 */
function openInferenceToLog(span: OtlpSpan, kind: 'LLM' | 'EMBEDDING'): LogInput {
  const a = span.attributes;
  const metadata = metadataObject(a.metadata);
  const providerId = text(a['llm.provider']) ?? text(a['llm.system']);
  const durationMs = span.endNanos > span.startNanos ? Number((span.endNanos - span.startNanos) / 1_000_000n) : null;
  const isError = span.status.code === STATUS_CODE_ERROR;
  const ttftSeconds = metadata ? Number(metadata.gen_ai_server_time_to_first_token) : NaN;
  return {
    eventId: span.traceId && span.spanId ? `otlp-${span.traceId}-${span.spanId}` : null,
    timestamp: span.startNanos > 0n ? new Date(Number(span.startNanos / 1_000_000n)) : null,
    appId: appIdOf(span),
    userId: endUserOf(span, metadata),
    sessionId: text(a['session.id']),
    traceId: span.traceId || null,
    spanId: span.spanId || null,
    provider: normalizePluginProvider(providerId) ?? 'unknown',
    model: text(a['llm.model_name']) ?? text(a['embedding.model_name']) ?? 'unknown',
    operation: kind === 'EMBEDDING' ? 'embedding' : 'chat',
    prompt: openInferenceMessages(a, 'llm.input_messages') ?? jsonText(a['input.value']),
    response: openInferenceMessages(a, 'llm.output_messages') ?? answerOf(a['output.value']),
    inputTokens: count(a['llm.token_count.prompt']),
    outputTokens: count(a['llm.token_count.completion']),
    cachedInputTokens: count(a['llm.token_count.prompt_details.cache_read']),
    latencyMs: durationMs,
    timeToFirstTokenMs: Number.isFinite(ttftSeconds) && ttftSeconds > 0 ? Math.round(ttftSeconds * 1000) : null,
    status: isError ? 'ERROR' : 'SUCCESS',
    errorType: isError ? 'error' : null,
    errorMessage: isError && span.status.message ? span.status.message : null,
    metadata: {
      'otel.span_name': span.name,
      'otel.span_id': span.spanId,
      ...(span.parentSpanId ? { 'otel.parent_span_id': span.parentSpanId } : {}),
      'openinference.span.kind': kind,
      ...(providerId && providerId.includes('/') ? { 'llm.provider_id': providerId } : {}),
      ...(text(a['llm.invocation_parameters']) ? { 'llm.invocation_parameters': text(a['llm.invocation_parameters']) } : {}),
      ...(metadata ? { metadata: smallObject(metadata) } : {}),
    },
  };
}

// Compiled once: the mapping runs twice for every model-call span.
const MESSAGE_KEY = {
  'llm.input_messages': /^llm\.input_messages\.(\d+)\.message\.(.+)$/,
  'llm.output_messages': /^llm\.output_messages\.(\d+)\.message\.(.+)$/,
} as const;

/** OpenInference's flattened messages (`llm.input_messages.0.message.role`, `.content`) as a JSON chat. */
function openInferenceMessages(attributes: Attributes, prefix: keyof typeof MESSAGE_KEY): string | null {
  const messages = new Map<number, Record<string, unknown>>();
  const pattern = MESSAGE_KEY[prefix];
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(prefix)) continue;
    const match = pattern.exec(key);
    if (!match) continue;
    const message = messages.get(Number(match[1])) ?? {};
    message[match[2]!] = value;
    messages.set(Number(match[1]), message);
  }
  if (messages.size === 0) return null;
  const ordered = [...messages.entries()].sort((x, y) => x[0] - y[0]).map(([, message]) => message);
  if (prefix === 'llm.output_messages' && ordered.every((m) => typeof m.content === 'string' && Object.keys(m).length <= 2)) {
    return ordered.map((m) => m.content as string).join('\n');
  }
  return JSON.stringify(ordered);
}

/** `output.value` as the answer: a workflow LLM node's output is a JSON object whose `text` is the answer. */
function answerOf(value: AttributeValue | undefined): string | null {
  const raw = jsonText(value);
  if (!raw || !raw.startsWith('{')) return raw;
  const parsed = metadataObject(raw);
  return parsed && typeof parsed.text === 'string' ? parsed.text : raw;
}

/** A metadata object kept under 4 KB: larger values are left out. */
function smallObject(object: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  let size = 2;
  for (const [key, value] of Object.entries(object)) {
    const entry = JSON.stringify(value ?? null).length + key.length + 6;
    if (size + entry > 4096) continue;
    kept[key] = value;
    size += entry;
  }
  return kept;
}

function seconds(value: AttributeValue | undefined): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? Math.round(number * 1000) : null;
}

/** Flattened lists such as gen_ai.prompt.0.content, gen_ai.prompt.1.content. */
function indexed(attributes: Attributes, prefix: string): string | null {
  const parts: [number, string][] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const match = new RegExp(`^${prefix.replaceAll('.', '\\.')}\\.(\\d+)\\.content$`).exec(key);
    const content = text(value);
    if (match && content !== null) parts.push([Number(match[1]), content]);
  }
  return parts.length > 0
    ? parts
        .sort((x, y) => x[0] - y[0])
        .map(([, content]) => content)
        .join('\n')
    : null;
}

function first(attributes: Attributes, keys: string[]): AttributeValue | undefined {
  for (const key of keys) if (attributes[key] !== undefined && attributes[key] !== null) return attributes[key];
  return undefined;
}

function text(value: AttributeValue | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function jsonText(value: AttributeValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? text(value) : JSON.stringify(value);
}

function count(value: AttributeValue | undefined): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? Math.round(number) : null;
}

function join(...parts: (string | null)[]): string | null {
  const present = parts.filter((part): part is string => part !== null);
  return present.length > 0 ? present.join('\n\n') : null;
}
