import type { LumenError, LumenOperation } from './errors.js';
import type { AttemptFailure } from './graphql-transport.js';
import type { ResolvedOptions } from './options.js';
import type { LumenStats } from './types.js';

export type Counters = Omit<LumenStats, 'queued' | 'spansQueued'>;

/** Counts what happens to logs and feedback, and tells the application through onError and the logger. */
export class Reporter {
  readonly counts: Counters = {
    sent: 0,
    duplicates: 0,
    rejected: 0,
    dropped: 0,
    failed: 0,
    retries: 0,
    feedbackSent: 0,
    feedbackFailed: 0,
    spansSent: 0,
    spansRejected: 0,
    spansDropped: 0,
    spansFailed: 0,
  };

  constructor(private readonly options: ResolvedOptions) {}

  report(error: LumenError): void {
    const data = { kind: error.kind, operation: error.operation, status: error.status, code: error.code, count: error.eventIds.length };
    if (error.kind === 'request_failed') this.options.logger.error?.(error.message, data);
    else this.options.logger.warn?.(error.message, data);
    try {
      this.options.onError(error);
    } catch (hookError) {
      // A failing hook must not break the client (or the application calling log()).
      this.options.logger.error?.('onError threw', { error: String(hookError) });
    }
  }

  retry(operation: LumenOperation, failure: AttemptFailure, attempt: number, delayMs: number): void {
    this.counts.retries++;
    this.options.logger.debug?.(
      `${operation} failed (${failure.message}); retry ${attempt} of ${this.options.maxRetries} in ${delayMs} ms`,
      {
        operation,
        attempt,
        delayMs,
        status: failure.status,
        code: failure.code,
      },
    );
  }
}
