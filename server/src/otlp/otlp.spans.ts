import type { SpanRecord } from '../traces/span.ingest.js';
import { SpanKind, SpanStatus } from '../traces/span.types.js';
import type { Attributes, AttributeValue, OtlpSpan } from './otlp.decode.js';

/**
 * Maps any OTLP span to a stored span: its kind from OpenInference (`openinference.span.kind`) or the
 * GenAI operation, its input and output, app, session and end user. Model-call spans also become logs
 * (otlp.genai.ts); this keeps every step, so a trace shows what happened around the calls.
 */
export function toSpanRecord(span: OtlpSpan): SpanRecord {
  const attr = (...keys: string[]) => first(span.attributes, keys) ?? first(span.resource, keys);
  const metadata = metadataObject(span.attributes.metadata);
  const startMs = Number(span.startNanos / 1_000_000n);
  const endMs = Math.max(startMs, Number(span.endNanos / 1_000_000n));
  const error = span.status.code === STATUS_CODE_ERROR;
  const output =
    textOrJson(attr('output.value')) ?? textOrJson(attr('gen_ai.output.messages')) ?? operationDetail(span, 'gen_ai.output.messages');
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: (span.name || '(unnamed)').slice(0, 256),
    kind: kindOf(span),
    startTime: new Date(startMs),
    endTime: new Date(endMs),
    durationMs: Math.min(endMs - startMs, 2_147_483_647),
    status: error ? SpanStatus.ERROR : span.status.code === STATUS_CODE_OK ? SpanStatus.OK : SpanStatus.UNSET,
    errorMessage: error ? span.status.message || null : null,
    input: textOrJson(attr('input.value')) ?? textOrJson(attr('gen_ai.input.messages')) ?? operationDetail(span, 'gen_ai.input.messages'),
    output,
    inputTruncated: false,
    outputTruncated: false,
    attributes: unmappedAttributes(span.attributes),
    appId: appIdOf(span),
    sessionId: text(attr('session.id', 'gen_ai.conversation.id')),
    userId: endUserOf(span, metadata),
    model: text(attr('llm.model_name', 'embedding.model_name', 'gen_ai.response.model', 'gen_ai.request.model')),
    provider: normalizeProvider(text(attr('llm.provider', 'llm.system', 'gen_ai.provider.name', 'gen_ai.system'))),
    inputTokens: count(attr('llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens')),
    outputTokens: count(attr('llm.token_count.completion', 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens')),
    conversationName: span.name === CONVERSATION_NAMING_SPAN ? conversationNameOf(output) : null,
  };
}

/**
 * Dify names each chat conversation in a trace of its own, under the conversation's session: a
 * `generate_conversation_name` span whose input is the first message and whose output is the name, as a
 * JSON string. That trace is not a turn of the conversation (traces/span.ingest.ts, SpanRecord.conversationName).
 */
const CONVERSATION_NAMING_SPAN = 'generate_conversation_name';

/** The name in a naming span's output: a JSON string, or plain text; '' when there is none. */
function conversationNameOf(output: string | null): string {
  if (output === null) return '';
  let name: unknown = output;
  try {
    name = JSON.parse(output);
  } catch {
    // plain text
  }
  return typeof name === 'string' ? name.trim() : '';
}

/** The messages of a `gen_ai.client.inference.operation.details` event, when the span carries one. */
function operationDetail(span: OtlpSpan, key: string): string | null {
  const event = span.events.find((e) => e.name === 'gen_ai.client.inference.operation.details');
  return event ? textOrJson(event.attributes[key]) : null;
}

export const STATUS_CODE_OK = 1;
export const STATUS_CODE_ERROR = 2;

const OPENINFERENCE_KINDS = new Set<string>(Object.values(SpanKind));

const GENAI_OPERATIONS: Record<string, SpanKind> = {
  chat: SpanKind.LLM,
  text_completion: SpanKind.LLM,
  generate_content: SpanKind.LLM,
  embeddings: SpanKind.EMBEDDING,
  execute_tool: SpanKind.TOOL,
  invoke_agent: SpanKind.AGENT,
  create_agent: SpanKind.AGENT,
};

export function kindOf(span: OtlpSpan): SpanKind {
  const openinference = text(span.attributes['openinference.span.kind'])?.toUpperCase();
  if (openinference && OPENINFERENCE_KINDS.has(openinference)) return openinference as SpanKind;
  const operation = text(span.attributes['gen_ai.operation.name']);
  if (operation) return GENAI_OPERATIONS[operation] ?? SpanKind.OTHER;
  if (span.attributes['gen_ai.system'] !== undefined || span.attributes['gen_ai.provider.name'] !== undefined) return SpanKind.LLM;
  return SpanKind.OTHER;
}

/** `lumen.app_id`, else the OpenInference project (Dify's "project" setting), else the service name. */
export function appIdOf(span: OtlpSpan): string {
  const id =
    text(span.attributes['lumen.app_id']) ??
    text(span.resource['lumen.app_id']) ??
    text(span.resource['openinference.project.name']) ??
    text(span.resource['service.name']) ??
    'unknown_service';
  return id.slice(0, 128);
}

/**
 * The end user: `user.id` (OpenInference) or `enduser.id`, else what Dify puts in the `metadata` JSON
 * string: `end_user_id` on message traces, `user_id` on workflow traces.
 */
export function endUserOf(span: OtlpSpan, metadata = metadataObject(span.attributes.metadata)): string | null {
  const direct = text(span.attributes['user.id']) ?? text(span.attributes['enduser.id']);
  if (direct) return direct.slice(0, 256);
  const fromMetadata = metadata ? (text(metadata.end_user_id as AttributeValue) ?? text(metadata.user_id as AttributeValue)) : null;
  return fromMetadata?.slice(0, 256) ?? null;
}

// Dify 1.x names providers by plugin id (langgenius/openai/openai); prices and filters use the plain name.
const PROVIDER_ALIASES: Record<string, string> = {
  tongyi: 'qwen',
  dashscope: 'qwen',
  gemini: 'google',
  vertex_ai: 'google',
  azure_openai: 'azure',
  bedrock: 'aws',
  zhipuai: 'zhipu',
  volcengine_maas: 'volcengine',
};

export function normalizeProvider(provider: string | null): string | null {
  if (!provider) return null;
  const plain = provider.includes('/') ? provider.split('/').at(-1)! : provider;
  const lower = plain.trim().toLowerCase();
  return (PROVIDER_ALIASES[lower] ?? lower).slice(0, 64) || null;
}

/** The `metadata` attribute of OpenInference spans: a JSON object, sent as a string. */
export function metadataObject(value: AttributeValue | undefined): Record<string, unknown> | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  if (typeof value !== 'string' || !value.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// Attributes that became fields of the span; repeated in `attributes` they would only take space.
const MAPPED = /^(input\.value|output\.value|llm\.(input|output)_messages\..*|gen_ai\.(input|output)\.messages|lumen\.app_id)$/;
const ATTRIBUTES_BUDGET = 16 * 1024;

function unmappedAttributes(attributes: Attributes): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  let size = 2;
  for (const [key, value] of Object.entries(attributes)) {
    if (MAPPED.test(key)) continue;
    const entry = JSON.stringify(value).length + key.length + 6;
    // What does not fit is left out, not refused: the span is still stored.
    if (size + entry > ATTRIBUTES_BUDGET) continue;
    kept[key] = value;
    size += entry;
  }
  return kept;
}

function first(attributes: Attributes, keys: string[]): AttributeValue | undefined {
  for (const key of keys) if (attributes[key] !== undefined && attributes[key] !== null) return attributes[key];
  return undefined;
}

function text(value: AttributeValue | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function textOrJson(value: AttributeValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? text(value) : JSON.stringify(value);
}

function count(value: AttributeValue | undefined): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 && number <= 2_147_483_647 ? Math.round(number) : null;
}
