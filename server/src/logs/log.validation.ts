import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';

import type { Limits } from '../config.js';
import { isStorableText, UNSTORABLE_TEXT } from '../graphql/text-input-guard.js';
import { LOG_STATUSES, LogStatus } from './log-status.types.js';
import { redactJson, type Redact } from './log.redaction.js';
import type { LogInput } from './log.types.js';

/** A log that passed validation, normalised and ready to be priced and stored. */
export interface NormalizedLog {
  eventId: string;
  timestamp: Date;
  appId: string;
  userId: string | null;
  sessionId: string | null;
  traceId: string | null;
  spanId: string | null;
  provider: string;
  model: string;
  operation: string | null;
  prompt: string | null;
  response: string | null;
  promptTruncated: boolean;
  responseTruncated: boolean;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  status: LogStatus;
  errorType: string | null;
  errorMessage: string | null;
  providedCost: string | null;
  currency: string;
  metadata: Record<string, unknown>;
  tags: string[];
}

export interface LogProblem {
  field: string;
  message: string;
}

/** What ingestion applies to every log: size limits, and the data-protection settings. */
export interface LogPolicy {
  limits: Limits;
  /** Runs on prompt, response, error message and metadata strings before anything is cut or stored. */
  redact: Redact | null;
  storeContent: boolean;
}

export type LogValidation = { ok: true; log: NormalizedLog } | { ok: false; problems: LogProblem[] };

export const FIELD_LIMITS = {
  eventId: 128,
  appId: 128,
  userId: 256,
  sessionId: 256,
  traceId: 256,
  spanId: 64,
  provider: 64,
  model: 128,
  operation: 64,
  errorType: 128,
  errorMessageBytes: 8 * 1024,
  tagCount: 32,
  tagLength: 64,
  /** Levels of objects and arrays in metadata, the top object being level 1. */
  metadataDepth: 20,
} as const;

// Clocks drift; anything further ahead than this is a client bug that would distort every chart.
const MAX_FUTURE_MS = 5 * 60 * 1000;
const EARLIEST = Date.UTC(2000, 0, 1);
const MAX_COST = new Decimal('1e9');
// Counts are stored as PostgreSQL integer.
const MAX_INT = 2 ** 31 - 1;
const CURRENCY = /^[A-Z]{3}$/;

export function validateLog(input: LogInput, policy: LogPolicy, now: Date): LogValidation {
  const { limits, redact } = policy;
  const problems: LogProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  const text = (field: keyof typeof FIELD_LIMITS & keyof LogInput, required: boolean): string | null => {
    const value = input[field];
    if (value == null || (typeof value === 'string' && value.trim() === '')) {
      if (required) problem(field, 'is required');
      return null;
    }
    const trimmed = String(value).trim();
    // Identifiers are stored as sent or not at all: a rewritten eventId would break idempotency.
    if (!isStorableText(trimmed)) problem(field, UNSTORABLE_TEXT);
    else if (trimmed.length > FIELD_LIMITS[field]) problem(field, `must be at most ${FIELD_LIMITS[field]} characters`);
    return trimmed;
  };
  const count = (field: 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'latencyMs' | 'timeToFirstTokenMs'): number | null => {
    const value = input[field];
    if (value == null) return null;
    if (!Number.isInteger(value) || value < 0 || value > MAX_INT) problem(field, `must be a whole number from 0 to ${MAX_INT}`);
    return value;
  };

  const eventId = text('eventId', false) ?? randomUUID();
  const appId = text('appId', true);
  const userId = text('userId', false);
  const sessionId = text('sessionId', false);
  const traceId = text('traceId', false);
  const spanId = text('spanId', false);
  const provider = text('provider', true);
  const model = text('model', true);
  const operation = text('operation', false);
  const errorType = text('errorType', false);

  const timestamp = input.timestamp ?? now;
  if (Number.isNaN(timestamp.getTime())) problem('timestamp', 'is not a valid date-time');
  else if (timestamp.getTime() > now.getTime() + MAX_FUTURE_MS) problem('timestamp', 'is more than 5 minutes in the future');
  else if (timestamp.getTime() < EARLIEST) problem('timestamp', 'is before 2000-01-01');

  const inputTokens = count('inputTokens') ?? 0;
  const outputTokens = count('outputTokens') ?? 0;
  const cachedInputTokens = count('cachedInputTokens') ?? 0;
  if (inputTokens >= 0 && cachedInputTokens >= 0 && cachedInputTokens > inputTokens)
    problem('cachedInputTokens', 'must not exceed inputTokens (which includes cached tokens)');
  const latencyMs = count('latencyMs');
  const timeToFirstTokenMs = count('timeToFirstTokenMs');

  const errorMessage =
    input.errorMessage == null
      ? null
      : truncateUtf8(repairText(redact ? redact(input.errorMessage) : input.errorMessage), FIELD_LIMITS.errorMessageBytes).text;
  let status: LogStatus;
  if (input.status == null) status = errorType || errorMessage ? LogStatus.ERROR : LogStatus.SUCCESS;
  else if (LOG_STATUSES.includes(input.status)) status = input.status as LogStatus;
  else {
    problem('status', `must be one of ${LOG_STATUSES.join(', ')}`);
    status = LogStatus.SUCCESS;
  }

  let providedCost: string | null = null;
  if (input.cost != null) {
    const cost = new Decimal(input.cost);
    if (cost.isNegative()) problem('cost', 'must not be negative');
    else if (cost.gte(MAX_COST)) problem('cost', 'is implausibly large');
    else providedCost = cost.toFixed();
  }
  const currency = input.currency == null ? 'USD' : input.currency.trim().toUpperCase();
  if (!CURRENCY.test(currency)) problem('currency', 'must be a three-letter ISO 4217 code such as USD');

  const metadata = input.metadata ?? {};
  const shape = inspectMetadata(metadata);
  if (shape.tooDeep) problem('metadata', `must be nested at most ${FIELD_LIMITS.metadataDepth} levels deep`);
  else if (shape.unstorableAt) problem('metadata', `${shape.unstorableAt} ${UNSTORABLE_TEXT}`);
  else {
    const metadataBytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
    if (metadataBytes > limits.logMetadataMaxBytes)
      problem('metadata', `must be at most ${limits.logMetadataMaxBytes} bytes as JSON (got ${metadataBytes})`);
  }

  const tags = (input.tags ?? []).map((tag) => String(tag).trim()).filter((tag) => tag.length > 0);
  if (!tags.every(isStorableText)) problem('tags', UNSTORABLE_TEXT);
  if (tags.length > FIELD_LIMITS.tagCount) problem('tags', `must hold at most ${FIELD_LIMITS.tagCount} tags`);
  if (tags.some((tag) => tag.length > FIELD_LIMITS.tagLength))
    problem('tags', `each tag must be at most ${FIELD_LIMITS.tagLength} characters`);

  if (problems.length > 0) return { ok: false, problems };

  const content = (text: string | null | undefined) =>
    text == null || !policy.storeContent ? null : truncateUtf8(repairText(redact ? redact(text) : text), limits.logContentMaxBytes);
  const prompt = content(input.prompt);
  const response = content(input.response);
  return {
    ok: true,
    log: {
      eventId,
      timestamp,
      appId: appId!,
      userId,
      sessionId,
      traceId,
      spanId,
      provider: provider!,
      model: model!,
      operation,
      prompt: prompt?.text ?? null,
      response: response?.text ?? null,
      promptTruncated: prompt?.truncated ?? false,
      responseTruncated: response?.truncated ?? false,
      inputTokens,
      outputTokens,
      cachedInputTokens,
      latencyMs,
      timeToFirstTokenMs,
      status,
      errorType,
      errorMessage,
      providedCost,
      currency,
      metadata: redact ? (redactJson(metadata, redact) as Record<string, unknown>) : metadata,
      tags: [...new Set(tags)],
    },
  };
}

/** Cuts text to at most maxBytes of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that did not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

/** PostgreSQL text and jsonb cannot hold U+0000. */
export function stripNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/**
 * Free text (prompt, response, error message) is kept even when it holds what PostgreSQL cannot
 * store: NUL and unpaired UTF-16 surrogates become U+FFFD. Identifiers and metadata are refused instead.
 */
export function repairText(text: string): string {
  return stripNul((text as string & { toWellFormed(): string }).toWellFormed());
}

/**
 * Walks metadata without recursion (a client may send thousands of levels) and stops at the first
 * problem: deeper than FIELD_LIMITS.metadataDepth, or a key or string that cannot be stored.
 */
function inspectMetadata(metadata: Record<string, unknown>): { tooDeep: boolean; unstorableAt: string | null } {
  const pending: [unknown, number, string][] = [[metadata, 1, 'metadata']];
  while (pending.length > 0) {
    const [value, depth, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return { tooDeep: false, unstorableAt: path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > FIELD_LIMITS.metadataDepth) return { tooDeep: true, unstorableAt: null };
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);
    for (const [key, item] of entries) {
      if (!isStorableText(key)) return { tooDeep: false, unstorableAt: `a key of ${path}` };
      pending.push([item, depth + 1, `${path}.${key}`]);
    }
  }
  return { tooDeep: false, unstorableAt: null };
}
