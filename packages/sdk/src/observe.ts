import type { LogEntry } from './types.js';

/**
 * What `observe()` knows before the call: everything of the log except what it measures. `extract`
 * reads the rest (tokens, response, the model actually used) from the call's result.
 */
export type ObserveMeta<T> = Partial<Omit<LogEntry, 'latencyMs' | 'status'>> & {
  extract?: (result: T) => Partial<LogEntry> | undefined;
};

/**
 * The error fields of a log, from anything thrown. As OpenTelemetry's `error.type` does, the type is
 * the provider's error code where the error carries one (`rate_limit_exceeded`), else its `type`,
 * else the class name (`TypeError`); the HTTP status and the class are kept in metadata.
 */
export function describeError(error: unknown): Pick<LogEntry, 'errorType' | 'errorMessage' | 'metadata'> {
  if (!(error instanceof Error)) return { errorType: typeof error, errorMessage: String(error) };
  const details = error as Error & { type?: unknown; code?: unknown; status?: unknown };
  const className = error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name;
  const code = typeof details.code === 'string' && details.code ? details.code : undefined;
  const type = typeof details.type === 'string' && details.type ? details.type : undefined;
  const metadata: Record<string, unknown> = {};
  if (typeof details.status === 'number') metadata.httpStatus = details.status;
  if (code && type) metadata.providerErrorType = type;
  if ((code || type) && className !== 'Error') metadata.errorClass = className;
  return { errorType: code ?? type ?? className, errorMessage: error.message, ...(Object.keys(metadata).length > 0 ? { metadata } : {}) };
}

export function mergeMetadata(...parts: (Record<string, unknown> | undefined)[]): Record<string, unknown> | undefined {
  const merged = Object.assign({}, ...parts.filter(Boolean)) as Record<string, unknown>;
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/**
 * Times `fn`, logs the outcome through `log`, and hands back exactly what `fn` returned or threw.
 * Nothing done for the log (extract, validation) can change the caller's result.
 */
export async function observeCall<T>(
  log: (entry: LogEntry) => unknown,
  meta: ObserveMeta<T>,
  fn: () => Promise<T> | T,
  onExtractError: (error: unknown) => void,
): Promise<T> {
  const { extract, ...known } = meta;
  const timestamp = known.timestamp ?? new Date();
  const started = performance.now();
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    const failure = describeError(error);
    log({
      ...known,
      timestamp,
      latencyMs: performance.now() - started,
      status: 'ERROR',
      ...failure,
      metadata: mergeMetadata(known.metadata, failure.metadata),
    } as LogEntry);
    throw error;
  }
  const latencyMs = performance.now() - started;
  let extracted: Partial<LogEntry> = {};
  try {
    extracted = extract?.(result) ?? {};
  } catch (error) {
    onExtractError(error);
  }
  log({
    ...known,
    timestamp,
    latencyMs,
    status: 'SUCCESS',
    ...extracted,
    metadata: mergeMetadata(known.metadata, extracted.metadata),
  } as LogEntry);
  return result;
}
