import type { LogEntry } from './types.js';

/** A log ready to send: its LogInput already serialised, so a later change by the caller cannot alter it. */
export interface PreparedLog {
  eventId: string;
  json: string;
  bytes: number;
}

export type Preparation = { ok: true; log: PreparedLog } | { ok: false; eventId: string; field: string; message: string };

const STATUSES = new Set(['SUCCESS', 'ERROR']);
const TEXT_FIELDS = [
  'userId',
  'sessionId',
  'traceId',
  'spanId',
  'operation',
  'prompt',
  'response',
  'errorType',
  'errorMessage',
  'currency',
] as const;
const COUNT_FIELDS = ['inputTokens', 'outputTokens', 'cachedInputTokens'] as const;
const DURATION_FIELDS = ['latencyMs', 'timeToFirstTokenMs'] as const;

class Invalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Cheap checks that catch programming errors at the call site (a missing model, a negative token
 * count, metadata that is not JSON). The server validates everything again and names what it refuses.
 */
export function prepareLog(entry: LogEntry, defaults: { appId?: string; eventId: string; now: Date }): Preparation {
  const eventId = typeof entry?.eventId === 'string' && entry.eventId.trim() !== '' ? entry.eventId : defaults.eventId;
  try {
    if (entry === null || typeof entry !== 'object') throw new Invalid('entry', 'must be an object');
    const input: Record<string, unknown> = {
      eventId,
      timestamp: timestampOf(entry.timestamp ?? defaults.now),
      appId: requiredText('appId', entry.appId ?? defaults.appId),
      provider: requiredText('provider', entry.provider),
      model: requiredText('model', entry.model),
    };
    for (const field of TEXT_FIELDS) {
      const value = entry[field];
      if (value == null) continue;
      if (typeof value !== 'string') throw new Invalid(field, 'must be a string');
      input[field] = value;
    }
    for (const field of COUNT_FIELDS) {
      const value = entry[field];
      if (value == null) continue;
      if (!Number.isSafeInteger(value) || value < 0) throw new Invalid(field, 'must be a non-negative integer');
      input[field] = value;
    }
    for (const field of DURATION_FIELDS) {
      const value = entry[field];
      if (value == null) continue;
      // Durations measured with performance.now() have fractions; the API takes whole milliseconds.
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new Invalid(field, 'must be a non-negative number of milliseconds');
      input[field] = Math.round(value);
    }
    if (entry.status != null) {
      if (!STATUSES.has(entry.status)) throw new Invalid('status', 'must be SUCCESS or ERROR');
      input.status = entry.status;
    }
    if (entry.cost != null) input.cost = costOf(entry.cost);
    if (entry.metadata != null) {
      if (typeof entry.metadata !== 'object' || Array.isArray(entry.metadata)) throw new Invalid('metadata', 'must be a JSON object');
      input.metadata = entry.metadata;
    }
    if (entry.tags != null) {
      if (!Array.isArray(entry.tags) || entry.tags.some((tag) => typeof tag !== 'string'))
        throw new Invalid('tags', 'must be an array of strings');
      input.tags = entry.tags;
    }
    const json = serialise(input);
    return { ok: true, log: { eventId, json, bytes: utf8Length(json) } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, eventId, field: error.field, message: `${error.field} ${error.message}` };
    throw error;
  }
}

function requiredText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Invalid(field, 'is required');
  return value;
}

function timestampOf(value: Date | string): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new Invalid('timestamp', 'must be a Date or an ISO 8601 date-time');
  return date.toISOString();
}

function costOf(value: string | number): string {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return value.trim();
  throw new Invalid('cost', 'must be a non-negative decimal');
}

function serialise(input: Record<string, unknown>): string {
  try {
    return JSON.stringify(input);
  } catch (error) {
    throw new Invalid('metadata', `is not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function utf8Length(text: string): number {
  return typeof Buffer === 'function' ? Buffer.byteLength(text, 'utf8') : new TextEncoder().encode(text).length;
}
