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
  /** The clock of the span's trace, which its spans' times are read on (traceTime). */
  clock: TraceClock;
}

/**
 * A trace's clock: the wall time when its root span began and the monotonic time of that moment.
 * Every span of the trace takes its times from it, so a child always lies within its parent. Reading
 * the wall clock for each span would not: a pause between reading it and the monotonic clock (a busy
 * machine, a garbage collection), or a step of the wall clock, could put a child's end after its
 * parent's by milliseconds.
 */
export interface TraceClock {
  wallMs: number;
  monotonicMs: number;
}

/**
 * The time of `monotonicMs` (a performance.now() reading) on a trace's clock, in milliseconds since the
 * epoch, with fractions.
 */
export function traceTime(clock: TraceClock, monotonicMs: number): number {
  return clock.wallMs + (monotonicMs - clock.monotonicMs);
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
 * A new span under `parent` (or a new trace, with a clock of its own): it inherits the trace, its
 * clock, app, session and user unless given. A `traceId` given for a root span is used when it is an
 * OpenTelemetry trace id.
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
    clock: parent?.clock ?? { wallMs: Date.now(), monotonicMs: performance.now() },
  };
}

function newTraceId(): string {
  // An all-zero id is invalid in OpenTelemetry; 16 random bytes are never that in practice.
  return randomBytes(16).toString('hex');
}
