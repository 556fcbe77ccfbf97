export { Lumen, type FlushOptions } from './client.js';
export { LumenError, type LumenErrorKind, type LumenOperation, type RejectedItem } from './errors.js';
export type { LumenLogger, LumenOptions } from './options.js';
export type { ObserveMeta } from './observe.js';
export type { SpanKind } from './span-entry.js';
export type { OpenAIWrapOptions } from './openai/wrap-openai.js';
export type { FeedbackInput, FeedbackRating, LogEntry, LogStatus, LumenStats, SubmittedFeedback } from './types.js';
