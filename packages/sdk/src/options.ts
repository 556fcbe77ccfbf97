import type { LumenError } from './errors.js';

/** Where the client reports what it does; every method is optional. `console` fits. */
export interface LumenLogger {
  debug?(message: string, data?: Record<string, unknown>): void;
  warn?(message: string, data?: Record<string, unknown>): void;
  error?(message: string, data?: Record<string, unknown>): void;
}

/** Every setting of the client, in one place. Only `apiKey` is needed (or LUMEN_API_KEY). */
export interface LumenOptions {
  /** An API key with the INGEST role. Default: the LUMEN_API_KEY environment variable. */
  apiKey?: string;
  /**
   * Lumen's address, with or without the `/graphql` path. Default: LUMEN_ENDPOINT, else
   * http://localhost:4000.
   */
  endpoint?: string;
  /** Taken for logs and feedback that carry no appId. */
  appId?: string;
  /** Logs per request (at most 1,000, the server's INGEST_MAX_BATCH default). Default 100. */
  batchSize?: number;
  /** Largest request body; a batch is cut earlier when its logs reach it. Default 4 MiB. */
  maxBatchBytes?: number;
  /** The longest a log waits in the queue before its batch is sent. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Logs held at most (waiting and being sent); further logs are dropped and counted. Default 10,000. */
  maxQueueSize?: number;
  /** Retries of one request after a retryable failure. Default 5. */
  maxRetries?: number;
  /** First backoff step; each retry waits a random time up to base * 2^attempt (full jitter). Default 500 ms. */
  backoffBaseMs?: number;
  /** Largest backoff step (a Retry-After from the server is honoured even when longer). Default 30,000 ms. */
  backoffCapMs?: number;
  /** A request that has not answered by then is abandoned and retried. Default 10,000 ms. */
  requestTimeoutMs?: number;
  /**
   * How long `shutdown()` may take when called without `timeoutMs`; what is not sent by then is
   * dropped and counted. Default 5,000 ms.
   */
  shutdownTimeoutMs?: number;
  /** Called for data that was refused, dropped or given up (see LumenError). Never for a retry. */
  onError?: (error: LumenError) => void;
  /** Where retries and failures are reported. Default: warnings and errors to the console. `null`: nothing. */
  logger?: LumenLogger | null;
  /** The fetch to use. Default: the global fetch (Node 18+). */
  fetch?: typeof fetch;
}

export interface ResolvedOptions {
  apiKey: string;
  url: string;
  /** Where spans go: OTLP/HTTP `/v1/traces` beside the GraphQL endpoint. */
  tracesUrl: string;
  appId: string | undefined;
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  onError: (error: LumenError) => void;
  logger: LumenLogger;
  fetch: typeof fetch;
}

export const SERVER_MAX_BATCH = 1000;

const DEFAULTS = {
  endpoint: 'http://localhost:4000',
  batchSize: 100,
  maxBatchBytes: 4 * 1024 * 1024,
  flushIntervalMs: 1000,
  maxQueueSize: 10_000,
  maxRetries: 5,
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  requestTimeoutMs: 10_000,
  shutdownTimeoutMs: 5_000,
};

const consoleLogger: LumenLogger = {
  warn: (message, data) => console.warn(`[lumen] ${message}`, data ?? ''),
  error: (message, data) => console.error(`[lumen] ${message}`, data ?? ''),
};

/** Checks the options once, at construction: a wrong setting is a programming error and throws. */
export function resolveOptions(options: LumenOptions): ResolvedOptions {
  const env = typeof process === 'object' && process.env ? process.env : {};
  const apiKey = options.apiKey ?? env.LUMEN_API_KEY;
  if (!apiKey) throw new TypeError('Lumen: apiKey is required (or set LUMEN_API_KEY)');
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (typeof globalThis.fetch !== 'function' && !options.fetch)
    throw new TypeError('Lumen: no fetch available; use Node 18+ or pass options.fetch');

  const number = (name: keyof typeof DEFAULTS, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = (options as Record<string, unknown>)[name] ?? DEFAULTS[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new RangeError(`Lumen: ${name} must be a number from ${min} to ${max}`);
    }
    return value;
  };
  const batchSize = Math.floor(number('batchSize', 1, SERVER_MAX_BATCH));
  const endpoint = options.endpoint ?? env.LUMEN_ENDPOINT ?? DEFAULTS.endpoint;

  return {
    apiKey,
    url: graphqlUrl(endpoint),
    tracesUrl: tracesUrl(endpoint),
    appId: options.appId,
    batchSize,
    maxBatchBytes: number('maxBatchBytes', 1024),
    flushIntervalMs: number('flushIntervalMs', 1),
    maxQueueSize: Math.max(Math.floor(number('maxQueueSize', 1)), 1),
    maxRetries: Math.floor(number('maxRetries', 0, 100)),
    backoffBaseMs: number('backoffBaseMs', 0),
    backoffCapMs: number('backoffCapMs', 0),
    requestTimeoutMs: number('requestTimeoutMs', 1),
    shutdownTimeoutMs: number('shutdownTimeoutMs', 0),
    onError: options.onError ?? (() => undefined),
    logger: options.logger === null ? {} : (options.logger ?? consoleLogger),
    fetch: fetchImpl,
  };
}

function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}/v1/traces`;
  return url.toString();
}

function graphqlUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.pathname.endsWith('/graphql')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/graphql`;
  return url.toString();
}
