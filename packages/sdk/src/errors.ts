/**
 * What `onError` receives. The client never throws for these: each one says what happened to
 * which data, so an application can count, log or alert on it.
 *
 * - `invalid`: `log()` or `feedback()` refused an entry before sending it (see `field`);
 * - `queue_full`: `log()` dropped entries because `maxQueueSize` logs were waiting;
 * - `closed`: `log()` or `feedback()` was called after `shutdown()`;
 * - `rejected`: the server refused some items of a batch (see `rejected`); the others were stored;
 * - `request_failed`: a batch or a feedback was given up: refused for good (`status`, `code`) or out
 *   of retries (`attempts`);
 * - `shutdown_timeout`: `shutdown()`'s deadline passed before these were sent: what was still queued,
 *   and what was being sent (the request is aborted; the server may have stored it).
 */
export type LumenErrorKind = 'invalid' | 'queue_full' | 'closed' | 'rejected' | 'request_failed' | 'shutdown_timeout';

export type LumenOperation = 'ingestLogs' | 'submitFeedback' | 'exportSpans';

export interface RejectedItem {
  eventId: string;
  field: string;
  message: string;
}

export interface LumenErrorDetails {
  operation?: LumenOperation;
  /** The logs (the feedbackId for feedback, the span ids for spans) concerned. */
  eventIds?: string[];
  field?: string;
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** GraphQL `extensions.code` of the last answer, when there was one. */
  code?: string;
  /** Requests made, the first one included. */
  attempts?: number;
  rejected?: RejectedItem[];
  cause?: unknown;
}

export class LumenError extends Error {
  readonly kind: LumenErrorKind;
  readonly operation?: LumenOperation;
  readonly eventIds: string[];
  readonly field?: string;
  readonly status?: number;
  readonly code?: string;
  readonly attempts?: number;
  readonly rejected: RejectedItem[];

  constructor(kind: LumenErrorKind, message: string, details: LumenErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'LumenError';
    this.kind = kind;
    this.operation = details.operation;
    this.eventIds = details.eventIds ?? [];
    this.field = details.field;
    this.status = details.status;
    this.code = details.code;
    this.attempts = details.attempts;
    this.rejected = details.rejected ?? [];
  }
}
