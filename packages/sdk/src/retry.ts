import type { Attempt, AttemptFailure } from './graphql-transport.js';
import type { ResolvedOptions } from './options.js';
import type { Timers } from './timers.js';

/** Longest Retry-After honoured; a larger one is a misconfigured server, not a plan. */
const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/**
 * Exponential backoff with full jitter: a random wait up to min(cap, base * 2^attempt), so that
 * clients failing together do not retry together. A Retry-After from the server is a lower bound.
 */
export function retryDelay(
  attempt: number,
  failure: AttemptFailure,
  options: Pick<ResolvedOptions, 'backoffBaseMs' | 'backoffCapMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(options.backoffCapMs, options.backoffBaseMs * 2 ** attempt);
  const jittered = random() * ceiling;
  const asked = failure.retryAfterMs === undefined ? 0 : Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, asked));
}

export interface RetryContext {
  options: ResolvedOptions;
  timers: Timers;
  /** Called before each wait; the client counts and reports retries here. */
  onRetry(failure: AttemptFailure, attempt: number, delayMs: number): void;
}

/** Sends until it succeeds, fails for good, or runs out of retries; returns the last outcome. */
export async function withRetries<T>(
  send: () => Promise<Attempt<T>>,
  context: RetryContext,
): Promise<{ outcome: Attempt<T>; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await send();
    if (outcome.ok || !outcome.retryable || attempt >= context.options.maxRetries) return { outcome, attempts: attempt + 1 };
    const delayMs = retryDelay(attempt, outcome, context.options);
    context.onRetry(outcome, attempt + 1, delayMs);
    await context.timers.sleep(delayMs);
  }
}
