/**
 * One model call, as Lumen's `LogInput` takes it (see the repository's schema.graphql). Only
 * `provider` and `model` are required here; `appId` may come from the client's options.
 */
export interface LogEntry {
  /** Idempotency key: a batch sent again stores nothing twice. Generated when absent. */
  eventId?: string;
  /** When the call started; the time of `log()` when absent. */
  timestamp?: Date | string;
  appId?: string;
  userId?: string;
  sessionId?: string;
  traceId?: string;
  /** The call's span in its trace (with traceId). Inside `observe()` the SDK sets both. */
  spanId?: string;
  /** openai, anthropic, google, deepseek, qwen, ... */
  provider: string;
  model: string;
  /** chat, completion, embedding, ... */
  operation?: string;
  prompt?: string;
  response?: string;
  /** Input tokens including cached ones. */
  inputTokens?: number;
  outputTokens?: number;
  /** The part of inputTokens read from the prompt cache. */
  cachedInputTokens?: number;
  latencyMs?: number;
  timeToFirstTokenMs?: number;
  /** SUCCESS or ERROR; the server takes ERROR when an error is given, else SUCCESS. */
  status?: LogStatus;
  errorType?: string;
  errorMessage?: string;
  /** The cost when you know it, as a decimal string (or a number); priced by Lumen when absent. */
  cost?: string | number;
  /** ISO 4217 currency of cost; USD when absent. */
  currency?: string;
  /** A JSON object. */
  metadata?: Record<string, unknown>;
  tags?: string[];
}

export type LogStatus = 'SUCCESS' | 'ERROR';

/** End-user feedback on an answer, as Lumen's `FeedbackInput` takes it. */
export interface FeedbackInput {
  /** Your id for this feedback: sending it again stores nothing new. Generated when absent. */
  feedbackId?: string;
  /** The eventId of the log (model call) the feedback is about. */
  logEventId?: string;
  /** The trace the feedback is about, when the eventId is not known. */
  traceId?: string;
  /** Taken from the linked log when absent (and from the client's `appId` option). */
  appId?: string;
  userId?: string;
  rating: FeedbackRating;
  /** 1 (worst) to 5 (best). */
  score?: number;
  comment?: string;
  /** What the feedback is about, for example "wrong answer". */
  category?: string;
}

export type FeedbackRating = 'POSITIVE' | 'NEGATIVE';

/** What Lumen answered to `submitFeedback`. */
export interface SubmittedFeedback {
  id: string;
  feedbackId: string | null;
  /** The linked log's id; null until a log with logEventId (or traceId) is stored. */
  logId: string | null;
  status: 'OPEN' | 'RESOLVED';
}

/** Counters since the client was created. */
export interface LumenStats {
  /** Logs waiting to be sent or being sent now. */
  queued: number;
  /** Logs the server stored. */
  sent: number;
  /** Logs the server already had (a retry after an unclear outcome): stored once, not twice. */
  duplicates: number;
  /** Logs refused as invalid, by `log()` itself or by the server; never retried. */
  rejected: number;
  /** Logs not queued: the queue was full, or the client was shut down. */
  dropped: number;
  /** Logs given up: a request refused for good, or out of retries. */
  failed: number;
  /** Requests sent again after a retryable failure (logs and feedback). */
  retries: number;
  /** Feedback the server stored (or already had). */
  feedbackSent: number;
  /** Feedback refused as invalid or given up. */
  feedbackFailed: number;
  /** Spans (of `observe()`, and of model calls inside one) waiting to be sent or being sent now. */
  spansQueued: number;
  /** Spans Lumen accepted. */
  spansSent: number;
  /** Spans Lumen refused one by one (OTLP `partialSuccess.rejectedSpans`). */
  spansRejected: number;
  /** Spans not sent: the span queue was full, or still queued or being sent when shutdown()'s deadline passed. */
  spansDropped: number;
  /** Spans given up: a request refused for good, or out of retries. */
  spansFailed: number;
}
