import { randomUUID } from 'node:crypto';

import { Delivery } from './delivery.js';
import { LumenError } from './errors.js';
import { prepareFeedback, sendFeedback } from './feedback.js';
import { sendLogBatch } from './ingest.js';
import { prepareLog } from './log-entry.js';
import { LogQueue } from './log-queue.js';
import { observeCall, type ObserveMeta } from './observe.js';
import { wrapOpenAIClient, type OpenAIWrapOptions } from './openai/wrap-openai.js';
import { resolveOptions, type LumenOptions, type ResolvedOptions } from './options.js';
import { Reporter } from './reporter.js';
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
  private readonly queue: LogQueue;
  private readonly pendingFeedback = new Set<Promise<unknown>>();
  private closed = false;
  private overflowing = false;
  private shutdownPromise: Promise<boolean> | undefined;

  constructor(options: LumenOptions = {}) {
    this.options = resolveOptions(options);
    this.reporter = new Reporter(this.options);
    this.delivery = new Delivery(this.options, this.timers);
    this.queue = new LogQueue(this.options, this.timers, (logs) => sendLogBatch(logs, this.options, this.delivery, this.reporter));
  }

  /**
   * Queues one model call and returns its eventId at once. Never throws and never waits on the
   * network: an entry that is invalid, or that finds the queue full, is counted and reported to onError.
   */
  log(entry: LogEntry): string {
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
      (entry) => this.log(entry),
      meta,
      fn,
      (error) => {
        this.options.logger.warn?.('observe(): extract threw; the call is logged without what it would have read', {
          error: String(error),
        });
      },
    );
  }

  /**
   * Returns a client that behaves exactly like `client` (the `openai` package's OpenAI, or a
   * compatible client) and logs every chat.completions.create and responses.create call.
   */
  wrapOpenAI<C extends object>(client: C, defaults: OpenAIWrapOptions = {}): C {
    return wrapOpenAIClient(client, defaults, (entry) => this.log(entry));
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
    const sending = sendFeedback(prepared.input, this.options, this.delivery, this.reporter).catch((error: unknown) => {
      this.options.logger.error?.('feedback() failed unexpectedly', { error: String(error) });
      return null;
    });
    this.pendingFeedback.add(sending);
    void sending.finally(() => this.pendingFeedback.delete(sending));
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
    this.shutdownPromise ??= this.closeWithin(options.timeoutMs ?? this.options.shutdownTimeoutMs);
    return this.shutdownPromise;
  }

  /** Waits for everything pending, within `timeoutMs` when given; false when the deadline passed first. */
  private async settle(timeoutMs: number | undefined): Promise<boolean> {
    const endFlush = this.delivery.beginFlush();
    let cancelDeadline: (() => void) | undefined;
    try {
      const done = Promise.all([this.queue.flush(), ...this.pendingFeedback]).then(() => true);
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
    }
    // Aborts what is still in flight and ends every retry wait; the senders then count and report what
    // they were sending, at once (a fetch that ignores its signal is not waited for beyond a moment).
    this.delivery.stop();
    if (!settled) {
      const accounted = Promise.all([this.queue.flush(), ...this.pendingFeedback]);
      await Promise.race([accounted, new Promise((resolve) => this.timers.after(ABORT_GRACE_MS, () => resolve(undefined)))]);
    }
    return settled;
  }

  stats(): LumenStats {
    return { queued: this.queue.size, ...this.reporter.counts };
  }
}
