import type { LogInput } from '../logs/log.types.js';
import type { Attributes, AttributeValue, OtlpSpan } from './otlp.decode.js';

/**
 * Maps an OpenTelemetry span following the GenAI semantic conventions (gen_ai.* attributes) to a
 * Lumen log. Spans without GenAI attributes are not model calls and give null.
 *
 * The event id is derived from the trace and span ids, so an exporter retrying a batch stores nothing
 * twice. Older attribute names that instrumentations still send are read as fallbacks.
 */
export function spanToLog(span: OtlpSpan): LogInput | null {
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
    appId: text(attr('lumen.app_id')) ?? text(span.resource['service.name']) ?? 'unknown_service',
    userId: text(attr('user.id', 'enduser.id')),
    sessionId: text(attr('gen_ai.conversation.id', 'session.id')),
    traceId: span.traceId || null,
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
    jsonText(a['gen_ai.input.messages']) ?? text(a['gen_ai.prompt']) ?? indexed(a, 'gen_ai.prompt') ?? eventContent(span, PROMPT_EVENTS);
  return join(system, messages);
}

function responseOf(span: OtlpSpan): string | null {
  const a = span.attributes;
  return (
    jsonText(a['gen_ai.output.messages']) ??
    text(a['gen_ai.completion']) ??
    indexed(a, 'gen_ai.completion') ??
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
