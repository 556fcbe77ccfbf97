import type { Delivery } from './delivery.js';
import { LumenError } from './errors.js';
import { postGraphQL } from './graphql-transport.js';
import type { ResolvedOptions } from './options.js';
import type { Reporter } from './reporter.js';
import { withRetries } from './retry.js';
import type { FeedbackInput, SubmittedFeedback } from './types.js';

const SUBMIT_FEEDBACK = `mutation LumenSdkSubmitFeedback($input: FeedbackInput!) {
  submitFeedback(input: $input) { id feedbackId logId status }
}`;

const RATINGS = new Set(['POSITIVE', 'NEGATIVE']);
const TEXT_FIELDS = ['logEventId', 'traceId', 'appId', 'userId', 'comment', 'category'] as const;

/** The FeedbackInput to send, or the reason it cannot be sent. */
export function prepareFeedback(
  input: FeedbackInput,
  defaults: { appId?: string; feedbackId: string },
): { ok: true; input: Record<string, unknown> } | { ok: false; field: string; message: string } {
  if (input === null || typeof input !== 'object') return { ok: false, field: 'input', message: 'input must be an object' };
  const prepared: Record<string, unknown> = { feedbackId: input.feedbackId ?? defaults.feedbackId, rating: input.rating };
  if (!RATINGS.has(input.rating)) return { ok: false, field: 'rating', message: 'rating must be POSITIVE or NEGATIVE' };
  if (input.score != null) {
    if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5)
      return { ok: false, field: 'score', message: 'score must be an integer from 1 to 5' };
    prepared.score = input.score;
  }
  for (const field of TEXT_FIELDS) {
    const value = field === 'appId' ? (input.appId ?? (input.logEventId || input.traceId ? undefined : defaults.appId)) : input[field];
    if (value == null) continue;
    if (typeof value !== 'string') return { ok: false, field, message: `${field} must be a string` };
    prepared[field] = value;
  }
  if (!prepared.logEventId && !prepared.traceId && !prepared.appId) {
    return { ok: false, field: 'logEventId', message: 'feedback needs a logEventId, a traceId or an appId' };
  }
  return { ok: true, input: prepared };
}

/** Sends one feedback with the same retry rules as logs; resolves to null when it was given up. */
export async function sendFeedback(
  input: Record<string, unknown>,
  options: ResolvedOptions,
  delivery: Delivery,
  reporter: Reporter,
): Promise<SubmittedFeedback | null> {
  const variables = JSON.stringify({ input });
  const { outcome, attempts } = await withRetries(
    (signal) => postGraphQL<SubmittedFeedback>(options, 'submitFeedback', SUBMIT_FEEDBACK, variables, signal),
    {
      options,
      delivery,
      onRetry: (failure, attempt, delayMs) => reporter.retry('submitFeedback', failure, attempt, delayMs),
    },
  );
  if (outcome.ok) {
    reporter.counts.feedbackSent++;
    return outcome.data;
  }
  reporter.counts.feedbackFailed++;
  const cut = outcome.aborted === 'shutdown';
  const why = cut ? 'not sent before shutdown() timed out' : outcome.retryable ? `gave up after ${attempts} attempts` : 'refused';
  reporter.report(
    new LumenError(cut ? 'shutdown_timeout' : 'request_failed', `submitFeedback ${why}: ${outcome.message}`, {
      operation: 'submitFeedback',
      eventIds: [String(input.feedbackId)],
      status: outcome.status,
      code: outcome.code,
      attempts,
      cause: outcome.cause,
    }),
  );
  return null;
}
