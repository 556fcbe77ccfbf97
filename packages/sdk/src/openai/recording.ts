import { describeError, mergeMetadata } from '../observe.js';
import { currentScope, traceTime, type SpanScope } from '../span-context.js';
import type { LogEntry } from '../types.js';
import { watchResult } from './api-promise.js';
import type { StreamAccumulator } from './stream-accumulator.js';
import { tapStream, type StreamEnd } from './stream-tap.js';

/** What differs between the endpoints the wrapper records (chat completions, responses). */
export interface CallRecorder<P> {
  operation: string;
  /** The params actually sent (chat streaming asks for usage). */
  request(params: P, settings: { includeStreamUsage: boolean }): P;
  prompt(params: P): string | undefined;
  fromResult(value: unknown): Partial<LogEntry>;
  streamAccumulator(): StreamAccumulator;
}

export interface RecordingSettings {
  /** Fields every log of this wrapper carries (appId, userId, provider, ...). */
  base: Partial<LogEntry>;
  captureContent: boolean;
  includeStreamUsage: boolean;
  /**
   * Logs the call; `parent` is the span open when the call began (its LLM span's parent), and `startMs`
   * when it began on that span's trace clock (span-context.ts).
   */
  log(entry: LogEntry, parent: SpanScope | undefined, startMs: number | undefined): void;
}

/**
 * Calls `invoke` and returns its value untouched (the openai package's APIPromise, with
 * withResponse() and asResponse(), and the Stream it resolves to); the log is written on the side.
 */
export function recordCall<P extends { model?: string; stream?: boolean | null } | undefined>(
  recorder: CallRecorder<P>,
  settings: RecordingSettings,
  params: P,
  invoke: (params: P) => unknown,
): unknown {
  const sent = recorder.request(params, settings);
  // Captured now: a stream may be read, and its log written, after the caller's span has moved on.
  const parent = currentScope();
  const started = performance.now();
  // On the trace's clock inside a span, so that the call lies within it.
  const startMs = parent ? traceTime(parent.clock, started) : undefined;
  const timestamp = new Date(startMs ?? Date.now());
  const streamed = params?.stream === true;
  const known: Partial<LogEntry> = {
    ...settings.base,
    operation: recorder.operation,
    model: params?.model,
    prompt: settings.captureContent ? safely(() => recorder.prompt(params)) : undefined,
    timestamp,
  };

  let respondedAt: number | undefined;
  const write = (fields: Partial<LogEntry>, metadata: Record<string, unknown>, endedAt = performance.now()) => {
    settings.log(
      {
        ...known,
        latencyMs: endedAt - started,
        status: 'SUCCESS',
        ...fields,
        model: fields.model ?? known.model,
        response: settings.captureContent ? fields.response : undefined,
        metadata: mergeMetadata(settings.base.metadata, fields.metadata, metadata),
      } as LogEntry,
      parent,
      startMs,
    );
  };
  const fail = (error: unknown, fields: Partial<LogEntry> = {}, metadata: Record<string, unknown> = {}) => {
    const failure = describeError(error);
    write(
      { ...fields, status: 'ERROR', errorType: failure.errorType, errorMessage: failure.errorMessage },
      { ...fields.metadata, ...failure.metadata, ...metadata },
    );
  };
  const settle = (value: unknown) => {
    if (streamed && value !== null && typeof value === 'object') {
      const accumulator = recorder.streamAccumulator();
      tapStream(value, accumulator, started, (end: StreamEnd) => {
        const fields = { ...safely(() => accumulator.result()), timeToFirstTokenMs: end.timeToFirstTokenMs };
        const metadata = { stream: true, streamCompleted: end.completed };
        safely(() => (end.error !== undefined ? fail(end.error, fields, metadata) : write(fields, metadata)));
      });
    } else {
      // The latency of a plain call ends when its response arrived, however late the caller reads it.
      write(safely(() => recorder.fromResult(value)) ?? {}, { stream: false }, respondedAt);
    }
  };

  let result: unknown;
  try {
    result = invoke(sent);
  } catch (error) {
    safely(() => fail(error));
    throw error;
  }
  watchResult(result, {
    responded: () => (respondedAt ??= performance.now()),
    value: (value) => safely(() => settle(value)),
    error: (error) => safely(() => fail(error)),
  });
  return result;
}

/** Recording must never break the caller's call: a failure here only costs the log some detail. */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
