import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** The span a piece of code runs in: what its child spans and model calls inherit. */
export interface SpanScope {
  /** 32 hex digits (16 bytes), as OpenTelemetry has it. */
  traceId: string;
  /** 16 hex digits (8 bytes). */
  spanId: string;
  appId?: string;
  sessionId?: string;
  userId?: string;
}

// Carries the open span through awaits, callbacks and timers, as OpenTelemetry's context does.
const storage = new AsyncLocalStorage<SpanScope>();

const TRACE_ID = /^[0-9a-f]{32}$/;

/** The span the caller runs in, if any. */
export function currentScope(): SpanScope | undefined {
  return storage.getStore();
}

export function runInScope<T>(scope: SpanScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/**
 * A new span under `parent` (or a new trace): it inherits the trace, app, session and user unless
 * given. A `traceId` given for a root span is used when it is an OpenTelemetry trace id.
 */
export function childScope(
  parent: SpanScope | undefined,
  given: { traceId?: string; appId?: string; sessionId?: string; userId?: string },
): SpanScope {
  const ownTraceId =
    typeof given.traceId === 'string' && TRACE_ID.test(given.traceId.toLowerCase()) ? given.traceId.toLowerCase() : undefined;
  return {
    traceId: parent?.traceId ?? ownTraceId ?? newTraceId(),
    spanId: randomBytes(8).toString('hex'),
    appId: given.appId ?? parent?.appId,
    sessionId: given.sessionId ?? parent?.sessionId,
    userId: given.userId ?? parent?.userId,
  };
}

function newTraceId(): string {
  // An all-zero id is invalid in OpenTelemetry; 16 random bytes are never that in practice.
  return randomBytes(16).toString('hex');
}
