import type { AbortReason } from './delivery.js';
import type { ResolvedOptions } from './options.js';

/** The outcome of one HTTP request to Lumen's GraphQL endpoint. */
export type Attempt<T> = { ok: true; data: T } | AttemptFailure;

export interface AttemptFailure {
  ok: false;
  /** Network errors, timeouts, HTTP 5xx, 408 and 429, and the GraphQL codes RATE_LIMITED and SERVICE_UNAVAILABLE. */
  retryable: boolean;
  /** What the server asked for, from Retry-After or `extensions.retryAfter`. */
  retryAfterMs?: number;
  status?: number;
  code?: string;
  message: string;
  /** Set when the request was aborted at a deadline: a flush's (retried later) or shutdown()'s (dropped). */
  aborted?: 'deadline' | 'shutdown';
  cause?: unknown;
}

interface GraphQLError {
  message?: string;
  extensions?: { code?: unknown; retryAfter?: unknown; field?: unknown };
}

const RETRYABLE_CODES = new Set(['RATE_LIMITED', 'SERVICE_UNAVAILABLE']);

/**
 * Posts one operation. `variablesJson` is the JSON text of the variables object, so that logs
 * serialised once at `log()` are not serialised again. Never throws.
 */
export async function postGraphQL<T>(
  options: ResolvedOptions,
  field: string,
  query: string,
  variablesJson: string,
  signal: AbortSignal,
): Promise<Attempt<T>> {
  const body = `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`;
  return postJson(options, options.url, body, signal, (status, retryAfter, text) => interpret<T>(field, status, retryAfter, text));
}

/** One POST of a JSON body with the API key; network errors and aborts become failures, never exceptions. */
export async function postJson<T>(
  options: ResolvedOptions,
  url: string,
  body: string,
  signal: AbortSignal,
  interpretAnswer: (status: number, retryAfter: string | null, text: string) => Attempt<T>,
): Promise<Attempt<T>> {
  let status: number | undefined;
  try {
    const response = await options.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${options.apiKey}` },
      body,
      signal,
    });
    status = response.status;
    const text = await response.text();
    return interpretAnswer(response.status, response.headers.get('retry-after'), text);
  } catch (error) {
    if (signal.aborted) return abortedAttempt(signal.reason as AbortReason, options, status, error);
    return { ok: false, retryable: true, status, message: `network error: ${describe(error)}`, cause: error };
  }
}

function abortedAttempt(reason: AbortReason, options: ResolvedOptions, status: number | undefined, cause: unknown): AttemptFailure {
  if (reason === 'shutdown') return { ok: false, retryable: false, aborted: 'shutdown', status, message: 'cut by shutdown()', cause };
  if (reason === 'deadline')
    return { ok: false, retryable: true, aborted: 'deadline', status, message: "cut by a flush's deadline", cause };
  return { ok: false, retryable: true, status, message: `no answer within ${options.requestTimeoutMs} ms`, cause };
}

function interpret<T>(field: string, status: number, retryAfterHeader: string | null, text: string): Attempt<T> {
  let payload: { data?: Record<string, unknown> | null; errors?: GraphQLError[] } | undefined;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  const errors = Array.isArray(payload?.errors) ? payload.errors : [];
  const codes = errors.map((error) => error.extensions?.code).filter((code): code is string => typeof code === 'string');
  const retryAfterMs =
    parseRetryAfter(retryAfterHeader) ?? errors.map((error) => secondsToMs(error.extensions?.retryAfter)).find((ms) => ms !== undefined);
  const data = payload?.data?.[field];
  if (status >= 200 && status < 300 && errors.length === 0 && data != null) return { ok: true, data: data as T };

  const retryable = status >= 500 || status === 408 || status === 429 || codes.some((code) => RETRYABLE_CODES.has(code));
  const code = codes.find((c) => RETRYABLE_CODES.has(c)) ?? codes[0];
  const message = errors[0]?.message ?? (text.trim() ? `HTTP ${status}: ${text.slice(0, 200)}` : `HTTP ${status}`);
  return { ok: false, retryable, retryAfterMs, status, code, message };
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110, section 10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const seconds = secondsToMs(Number(value.trim()));
  if (seconds !== undefined) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function secondsToMs(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
