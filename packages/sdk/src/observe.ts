import { childScope, currentScope, runInScope, traceTime, type SpanScope } from './span-context.js';
import { isModelCallKind, SPAN_KINDS, type FinishedSpan, type SpanKind } from './span-entry.js';
import type { LogEntry } from './types.js';

/**
 * What `observe()` knows before the call. For a model call (`kind` LLM or EMBEDDING, or a `model`
 * given without a kind): everything of the log except what it measures, and `extract` reads the rest
 * (tokens, response, the model actually used) from the result. For any other step (CHAIN, AGENT,
 * TOOL, RETRIEVER, ...): its `name`, `kind` and `input`; the result is recorded as its output.
 */
export type ObserveMeta<T> = Partial<Omit<LogEntry, 'latencyMs' | 'status'>> & {
  /** The span's name. Default: `provider.operation` for a model call, else the kind in lower case. */
  name?: string;
  /** Default: LLM when a `model` is given, else CHAIN. */
  kind?: SpanKind;
  /** What the step was given (a string, or anything JSON), recorded as the span's input. */
  input?: unknown;
  /** Records `input` and the result as the span's input and output. Default true. */
  captureContent?: boolean;
  extract?: (result: T) => Partial<LogEntry> | undefined;
};

/** The span a model call is recorded under: the log names it, and it travels as an LLM span. */
export interface ModelCallSpan {
  scope: SpanScope;
  parentSpanId: string | undefined;
  name: string;
  kind: SpanKind;
  /** When the call began, on its trace's clock (span-context.ts); else the span starts at the log's timestamp. */
  startMs?: number;
}

/** What observeCall needs from the client. */
export interface ObserveSink {
  /** Logs a model call as the span `span` (and sends that span). */
  logModelCall(entry: LogEntry, span: ModelCallSpan): void;
  /** Sends a span that is not a model call. */
  sendSpan(span: FinishedSpan): void;
  onExtractError(error: unknown): void;
}

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
 * Runs `fn` as a span, a child of the span the caller runs in (through AsyncLocalStorage), and hands
 * back exactly what `fn` returned or threw. Spans opened and model calls made inside `fn` become its
 * children. Nothing done for the record (extract, validation) can change the caller's result.
 */
export async function observeCall<T>(sink: ObserveSink, meta: ObserveMeta<T>, fn: () => Promise<T> | T): Promise<T> {
  const { extract, name, kind: givenKind, input, captureContent, ...known } = meta;
  const kind: SpanKind = givenKind && SPAN_KINDS.has(givenKind) ? givenKind : known.model ? 'LLM' : 'CHAIN';
  const parent = currentScope();
  const scope = childScope(parent, known);
  const modelCall = isModelCallKind(kind);
  const spanName = name ?? (modelCall ? `${known.provider ?? 'llm'}.${known.operation ?? 'call'}` : kind.toLowerCase());
  const started = performance.now();
  // Read on the trace's clock, unless the caller gave the time the call began.
  const startMs = known.timestamp instanceof Date ? known.timestamp.getTime() : traceTime(scope.clock, started);
  const timestamp = known.timestamp ?? new Date(startMs);
  const span = { scope, parentSpanId: parent?.spanId, name: spanName, kind, startMs };
  const capture = captureContent ?? true;

  let result: T;
  try {
    result = await runInScope(scope, fn);
  } catch (error) {
    const latencyMs = performance.now() - started;
    const failure = describeError(error);
    if (modelCall) {
      sink.logModelCall(
        {
          ...known,
          timestamp,
          latencyMs,
          status: 'ERROR',
          ...failure,
          metadata: mergeMetadata(known.metadata, failure.metadata),
        } as LogEntry,
        span,
      );
    } else {
      sink.sendSpan({
        ...span,
        startMs,
        endMs: startMs + latencyMs,
        input: capture ? input : undefined,
        error: { type: failure.errorType, message: failure.errorMessage ?? String(error) },
        attributes: stepAttributes(known),
      });
    }
    throw error;
  }
  const latencyMs = performance.now() - started;
  if (!modelCall) {
    sink.sendSpan({
      ...span,
      startMs,
      endMs: startMs + latencyMs,
      input: capture ? input : undefined,
      output: capture ? result : undefined,
      attributes: stepAttributes(known),
    });
    return result;
  }
  let extracted: Partial<LogEntry> = {};
  try {
    extracted = extract?.(result) ?? {};
  } catch (error) {
    sink.onExtractError(error);
  }
  sink.logModelCall(
    {
      ...known,
      timestamp,
      latencyMs,
      status: 'SUCCESS',
      ...extracted,
      metadata: mergeMetadata(known.metadata, extracted.metadata),
    } as LogEntry,
    span,
  );
  return result;
}

function stepAttributes(known: Partial<LogEntry>): FinishedSpan['attributes'] {
  let metadata: string | undefined;
  try {
    metadata = known.metadata && Object.keys(known.metadata).length > 0 ? JSON.stringify(known.metadata) : undefined;
  } catch {
    metadata = undefined;
  }
  return {
    metadata,
    'tag.tags': known.tags && known.tags.length > 0 ? known.tags : undefined,
  };
}
