import { randomUUID } from 'node:crypto';

import { BatchQueue } from './batch-queue.js';
import { Delivery } from './delivery.js';
import { LumenError } from './errors.js';
import { prepareFeedback, sendFeedback } from './feedback.js';
import { sendLogBatch } from './ingest.js';
import { prepareLog, type PreparedLog } from './log-entry.js';
import { observeCall, type ModelCallSpan, type ObserveMeta } from './observe.js';
import { wrapOpenAIClient, type OpenAIWrapOptions } from './openai/wrap-openai.js';
import { resolveOptions, type LumenOptions, type ResolvedOptions } from './options.js';
import { Reporter } from './reporter.js';
import { childScope, currentScope, traceTime, type SpanScope } from './span-context.js';
import { modelCallAttributes, prepareSpan, type FinishedSpan, type PreparedSpan } from './span-entry.js';
import { sendSpanBatch } from './span-export.js';
import { Timers } from './timers.js';
import type { FeedbackInput, LogEntry, LumenStats, SubmittedFeedback } from './types.js';

export interface FlushOptions {
  /**
   * The deadline, in milliseconds, for everything the call waits for, requests in flight included.
   * For flush(), what is cut is retried in the background; for shutdown(), it is dropped and counted.
   */
  timeoutMs?: number;
}

/** How long shutdown() waits, after its deadline, for aborted requests to be counted. */
const ABORT_GRACE_MS = 100;

/**
 * The Lumen client. `log()` queues and returns at once; batches go out in the background through the
 * public `ingestLogs` mutation, with retries. Create one per process and call `shutdown()` before exit.
 */
export class Lumen {
  private readonly options: ResolvedOptions;
  private readonly timers = new Timers();
  private readonly delivery: Delivery;
  private readonly reporter: Reporter;
  private readonly queue: BatchQueue<PreparedLog>;
  private readonly spans: BatchQueue<PreparedSpan>;
  private readonly pendingFeedback = new Set<Promise<unknown>>();
  private closed = false;
  private overflowing = false;
  private spansOverflowing = false;
  private shutdownPromise: Promise<boolean> | undefined;

  constructor(options: LumenOptions = {}) {
    this.options = resolveOptions(options);
    this.reporter = new Reporter(this.options);
    this.delivery = new Delivery(this.options, this.timers);
    this.queue = new BatchQueue<PreparedLog>(this.options, this.timers, (logs) =>
      sendLogBatch(logs, this.options, this.delivery, this.reporter),
    );
    // A model call's log leaves before its LLM span: Lumen makes a log of an LLM span it has no log
    // for, and the SDK's own (with tags, cost and the error's type) is the one to keep.
    this.spans = new BatchQueue<PreparedSpan>(this.options, this.timers, async (spans) => {
      await this.queue.flush();
      await sendSpanBatch(spans, this.options, this.delivery, this.reporter);
    });
  }

  /**
   * Queues one model call and returns its eventId at once. Never throws and never waits on the
   * network: an entry that is invalid, or that finds the queue full, is counted and reported to onError.
   * Inside `observe()`, the call is also recorded as an LLM span, a child of the observed one.
   */
  log(entry: LogEntry): string {
    return this.logUnder(entry, currentScope());
  }

  /** Logs a model call made under `parent` (the span open when it began), as its LLM child. */
  private logUnder(entry: LogEntry, parent: SpanScope | undefined, startMs?: number): string {
    if (!parent || entry === null || typeof entry !== 'object') return this.logOnly(entry);
    const scope = childScope(parent, { appId: entry.appId, sessionId: entry.sessionId, userId: entry.userId });
    const name = `${String(entry.provider ?? 'llm')}.${String(entry.operation ?? 'call')}`;
    return this.logModelCall(entry, { scope, parentSpanId: parent.spanId, name, kind: 'LLM', startMs });
  }

  /**
   * Logs a model call as the span `span`: the log takes the span's trace, session and user and its
   * span id (so Lumen links the two), and its eventId is the one Lumen gives a log made from that span, so it is stored once.
   */
  private logModelCall(entry: LogEntry, span: ModelCallSpan): string {
    const { scope } = span;
    const eventId =
      typeof entry.eventId === 'string' && entry.eventId.trim() !== '' ? entry.eventId : `otlp-${scope.traceId}-${scope.spanId}`;
    const linked: LogEntry = {
      ...entry,
      eventId,
      appId: entry.appId ?? scope.appId,
      // The span's trace unless the call names another: Lumen links a log to its span by both ids.
      traceId: typeof entry.traceId !== 'string' || entry.traceId.toLowerCase() === scope.traceId ? scope.traceId : entry.traceId,
      sessionId: entry.sessionId ?? scope.sessionId,
      userId: entry.userId ?? scope.userId,
      spanId: scope.spanId,
    };
    this.logOnly(linked);
    const startMs = span.startMs ?? timeOf(entry.timestamp) ?? traceTime(scope.clock, performance.now());
    const failed = entry.status === 'ERROR' || (entry.status === undefined && (entry.errorType != null || entry.errorMessage != null));
    this.sendSpan({
      ...span,
      startMs,
      endMs: startMs + (typeof entry.latencyMs === 'number' && entry.latencyMs > 0 ? entry.latencyMs : 0),
      input: entry.prompt,
      output: entry.response,
      error: failed ? { type: entry.errorType, message: entry.errorMessage ?? entry.errorType ?? 'error' } : undefined,
      attributes: modelCallAttributes(linked, eventId),
    });
    return eventId;
  }

  /** Queues a span that has ended; never throws (a full queue drops it, counted and reported once per overflow). */
  private sendSpan(span: FinishedSpan): void {
    try {
      if (this.closed) {
        this.reporter.counts.spansDropped++;
        return;
      }
      const prepared = prepareSpan({ ...span, scope: { ...span.scope, appId: span.scope.appId ?? this.options.appId } });
      if (this.spans.enqueue(prepared)) {
        this.spansOverflowing = false;
        return;
      }
      this.reporter.counts.spansDropped++;
      if (!this.spansOverflowing) {
        this.spansOverflowing = true;
        this.reporter.report(
          new LumenError('queue_full', `the span queue holds ${this.options.maxQueueSize} spans: new spans are dropped until it drains`, {
            operation: 'exportSpans',
            eventIds: [span.scope.spanId],
          }),
        );
      }
    } catch (error) {
      this.options.logger.error?.('a span could not be recorded', { error: String(error) });
    }
  }

  private logOnly(entry: LogEntry): string {
    const eventId = typeof entry?.eventId === 'string' && entry.eventId.trim() !== '' ? entry.eventId : randomUUID();
    try {
      if (this.closed) {
        this.reporter.counts.dropped++;
        this.reporter.report(new LumenError('closed', 'log() after shutdown(): the log was dropped', { eventIds: [eventId] }));
        return eventId;
      }
      const prepared = prepareLog(entry, { appId: this.options.appId, eventId, now: new Date() });
      if (!prepared.ok) {
        this.reporter.counts.rejected++;
        this.reporter.report(
          new LumenError('invalid', `log() refused an entry: ${prepared.message}`, { eventIds: [eventId], field: prepared.field }),
        );
        return eventId;
      }
      if (this.queue.enqueue(prepared.log)) {
        this.overflowing = false;
        return eventId;
      }
      this.reporter.counts.dropped++;
      // Once per overflow, not once per log: a full queue under load would otherwise flood the hook.
      if (!this.overflowing) {
        this.overflowing = true;
        this.reporter.report(
          new LumenError('queue_full', `the queue holds ${this.options.maxQueueSize} logs: new logs are dropped until it drains`, {
            eventIds: [eventId],
          }),
        );
      }
    } catch (error) {
      this.options.logger.error?.('log() failed unexpectedly', { error: String(error) });
    }
    return eventId;
  }

  /**
   * Runs `fn`, measures its latency and outcome, and logs it with `meta` (and what `meta.extract`
   * reads from the result). Returns what `fn` returns; rethrows what `fn` throws, untouched.
   */
  observe<T>(meta: ObserveMeta<T>, fn: () => Promise<T> | T): Promise<T> {
    return observeCall(
      {
        logModelCall: (entry, span) => this.logModelCall(entry, span),
        sendSpan: (span) => this.sendSpan(span),
        onExtractError: (error) => {
          this.options.logger.warn?.('observe(): extract threw; the call is logged without what it would have read', {
            error: String(error),
          });
        },
      },
      meta ?? {},
      fn,
    );
  }

  /**
   * Returns a client that behaves exactly like `client` (the `openai` package's OpenAI, or a
   * compatible client) and logs every chat.completions.create and responses.create call.
   */
  wrapOpenAI<C extends object>(client: C, defaults: OpenAIWrapOptions = {}): C {
    return wrapOpenAIClient(client, defaults, (entry, parent, startMs) => this.logUnder(entry, parent, startMs));
  }

  /**
   * Sends end-user feedback through `submitFeedback`, with the same retries as logs. Resolves to
   * what the server stored, or to null when it was refused or given up (onError says why); never rejects.
   */
  feedback(input: FeedbackInput): Promise<SubmittedFeedback | null> {
    const feedbackId = input?.feedbackId ?? randomUUID();
    if (this.closed) {
      this.reporter.counts.feedbackFailed++;
      this.reporter.report(
        new LumenError('closed', 'feedback() after shutdown(): not sent', { operation: 'submitFeedback', eventIds: [feedbackId] }),
      );
      return Promise.resolve(null);
    }
    const prepared = prepareFeedback(input, { appId: this.options.appId, feedbackId });
    if (!prepared.ok) {
      this.reporter.counts.feedbackFailed++;
      this.reporter.report(
        new LumenError('invalid', `feedback() refused: ${prepared.message}`, {
          operation: 'submitFeedback',
          eventIds: [feedbackId],
          field: prepared.field,
        }),
      );
      return Promise.resolve(null);
    }
    // The caller awaits the answer: its retry waits hold the process open (else a script awaiting it
    // with Lumen down would end mid-await), until it resolves or shutdown() cuts it.
    const release = this.timers.hold();
    const sending = sendFeedback(prepared.input, this.options, this.delivery, this.reporter).catch((error: unknown) => {
      this.options.logger.error?.('feedback() failed unexpectedly', { error: String(error) });
      return null;
    });
    this.pendingFeedback.add(sending);
    void sending.finally(() => {
      release();
      this.pendingFeedback.delete(sending);
    });
    return sending;
  }

  /**
   * Resolves true when every log queued and every feedback sent before the call is stored or given
   * up. Its sends share one retry budget (`maxRetries` retries since the last success), so with
   * Lumen down it gives up after one batch's worth of retries. With `timeoutMs`, resolves false at
   * that deadline and aborts the requests in flight; what was cut stays queued and is retried in
   * the background.
   */
  async flush(options: FlushOptions = {}): Promise<boolean> {
    const settled = await this.settle(options.timeoutMs);
    if (!settled) this.delivery.cut();
    return settled;
  }

  /**
   * Refuses further logs and feedback, sends what is queued, and stops the client, all within one
   * deadline: `timeoutMs`, else the `shutdownTimeoutMs` option (5 s). At the deadline the requests
   * in flight are aborted and retry waits end; what was not sent is dropped, counted in
   * `stats().dropped` (`feedbackFailed` for feedback) and reported to onError as `shutdown_timeout`;
   * it resolves false. Nothing the client started keeps the process alive afterwards. Safe to call
   * more than once: later calls share the first one's outcome.
   */
  shutdown(options: FlushOptions = {}): Promise<boolean> {
    this.closed = true;
    this.queue.close();
    this.spans.close();
    this.shutdownPromise ??= this.closeWithin(options.timeoutMs ?? this.options.shutdownTimeoutMs);
    return this.shutdownPromise;
  }

  /** Waits for everything pending, within `timeoutMs` when given; false when the deadline passed first. */
  private async settle(timeoutMs: number | undefined): Promise<boolean> {
    const endFlush = this.delivery.beginFlush();
    let cancelDeadline: (() => void) | undefined;
    try {
      const done = Promise.all([this.queue.flush(), this.spans.flush(), ...this.pendingFeedback]).then(() => true);
      if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return await done;
      const deadline = new Promise<boolean>(
        (resolve) => (cancelDeadline = this.timers.deadline(Math.max(0, timeoutMs), () => resolve(false))),
      );
      return await Promise.race([done, deadline]);
    } finally {
      cancelDeadline?.();
      endFlush();
    }
  }

  private async closeWithin(timeoutMs: number): Promise<boolean> {
    const settled = await this.settle(timeoutMs);
    if (!settled) {
      const unsent = this.queue.discard();
      if (unsent.length > 0) {
        this.reporter.counts.dropped += unsent.length;
        this.reporter.report(
          new LumenError('shutdown_timeout', `shutdown() timed out after ${timeoutMs} ms: ${unsent.length} queued logs dropped`, {
            operation: 'ingestLogs',
            eventIds: unsent.map((log) => log.eventId),
          }),
        );
      }
      const unsentSpans = this.spans.discard();
      if (unsentSpans.length > 0) {
        this.reporter.counts.spansDropped += unsentSpans.length;
        this.reporter.report(
          new LumenError('shutdown_timeout', `shutdown() timed out after ${timeoutMs} ms: ${unsentSpans.length} queued spans dropped`, {
            operation: 'exportSpans',
            eventIds: unsentSpans.map((span) => span.spanId),
          }),
        );
      }
    }
    // Aborts what is still in flight and ends every retry wait; the senders then count and report what
    // they were sending, at once (a fetch that ignores its signal is not waited for beyond a moment).
    this.delivery.stop();
    if (!settled) {
      const accounted = Promise.all([this.queue.flush(), this.spans.flush(), ...this.pendingFeedback]);
      await Promise.race([accounted, new Promise((resolve) => this.timers.after(ABORT_GRACE_MS, () => resolve(undefined)))]);
    }
    return settled;
  }

  stats(): LumenStats {
    return { queued: this.queue.size, spansQueued: this.spans.size, ...this.reporter.counts };
  }
}

function timeOf(timestamp: Date | string | undefined): number | undefined {
  const ms = timestamp instanceof Date ? timestamp.getTime() : typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
