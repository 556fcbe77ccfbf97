import type { AttemptFailure } from './graphql-transport.js';
import type { Timers } from './timers.js';

/** Why a request was aborted: its own timeout, a flush's deadline, or shutdown()'s. */
export type AbortReason = 'timeout' | 'deadline' | 'shutdown';

/**
 * What bounds the client's network work. Every request and every retry wait of the queues and of
 * feedback goes through here, so that one deadline can cut them all:
 *
 * - While a flush is awaited, its sends share one retry budget (`maxRetries` retries since the last
 *   success), instead of `maxRetries` per batch: with Lumen down, a flush gives up after one batch's
 *   worth of retries, and the rest of what it waits for is given up without another request.
 * - `cut()` (a flush's deadline) aborts the requests in flight; they are retried in the background.
 * - `stop()` (shutdown()'s deadline) aborts them for good and wakes every retry wait, so that nothing
 *   the client started keeps the process alive.
 */
export class Delivery {
  private readonly inFlight = new Set<AbortController>();
  private readonly waits = new Set<() => void>();
  private flushes = 0;
  private budget = 0;
  private lastFailure: AttemptFailure | undefined;
  private exhausted = false;
  private stopped = false;

  constructor(
    private readonly limits: { maxRetries: number; requestTimeoutMs: number },
    private readonly timers: Timers,
  ) {}

  /** A flush begins: its sends share one retry budget, and retry waits hold the process open. */
  beginFlush(): () => void {
    if (this.flushes++ === 0) {
      this.budget = this.limits.maxRetries;
      this.exhausted = false;
    }
    const release = this.timers.hold();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.flushes--;
      release();
    };
  }

  /** Null when a send may make its first request; else the failure it is given up with. */
  refusal(): AttemptFailure | null {
    if (this.stopped) return SHUT_DOWN;
    if (this.flushes > 0 && this.exhausted) {
      const last = this.lastFailure?.message ?? 'no answer';
      return { ok: false, retryable: true, message: `given up with the flush after ${this.limits.maxRetries} retries (${last})` };
    }
    return null;
  }

  /** Whether a failed send may try again; `retries` is how many it has made. */
  mayRetry(retries: number, failure: AttemptFailure): boolean {
    this.lastFailure = failure;
    if (this.stopped) return false;
    if (this.flushes === 0) return retries < this.limits.maxRetries;
    if (this.budget > 0) {
      this.budget--;
      return true;
    }
    this.exhausted = true;
    return false;
  }

  succeeded(): void {
    this.budget = this.limits.maxRetries;
  }

  /**
   * Runs one request with a signal that aborts on its timeout, at a flush's deadline (`cut()`) or at
   * shutdown()'s (`stop()`); the signal's reason says which.
   */
  async request<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const cancelTimeout = this.timers.after(this.limits.requestTimeoutMs, () => controller.abort('timeout' satisfies AbortReason));
    this.inFlight.add(controller);
    if (this.stopped) controller.abort('shutdown' satisfies AbortReason);
    try {
      return await send(controller.signal);
    } finally {
      cancelTimeout();
      this.inFlight.delete(controller);
    }
  }

  /** A retry wait; ends early when the client stops. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waits.delete(wake);
        cancel();
        resolve();
      };
      const cancel = this.timers.sleep(ms, wake);
      this.waits.add(wake);
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** A flush's deadline passed: abort the requests in flight; their senders retry them later. */
  cut(): void {
    for (const controller of this.inFlight) controller.abort('deadline' satisfies AbortReason);
  }

  /** shutdown()'s deadline passed (or it finished): abort everything and make no more requests. */
  stop(): void {
    this.stopped = true;
    for (const controller of this.inFlight) controller.abort('shutdown' satisfies AbortReason);
    for (const wake of [...this.waits]) wake();
  }
}

export const SHUT_DOWN: AttemptFailure = {
  ok: false,
  retryable: false,
  aborted: 'shutdown',
  message: 'not sent before shutdown() timed out',
};
