import type { Delivery } from './delivery.js';
import type { Attempt, AttemptFailure } from './graphql-transport.js';
import type { ResolvedOptions } from './options.js';

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
  delivery: Delivery;
  /** Called before each wait; the client counts and reports retries here. */
  onRetry(failure: AttemptFailure, attempt: number, delayMs: number): void;
}

/**
 * Sends until it succeeds, fails for good, or may retry no more (see Delivery: a flush's budget,
 * shutdown); returns the last outcome and the number of requests made (0 when none was allowed).
 */
export async function withRetries<T>(
  send: (signal: AbortSignal) => Promise<Attempt<T>>,
  context: RetryContext,
): Promise<{ outcome: Attempt<T>; attempts: number }> {
  const { delivery } = context;
  const refused = delivery.refusal();
  if (refused) return { outcome: refused, attempts: 0 };
  for (let attempt = 0; ; attempt++) {
    const outcome = await delivery.request(send);
    if (outcome.ok) {
      delivery.succeeded();
      return { outcome, attempts: attempt + 1 };
    }
    if (!outcome.retryable || !delivery.mayRetry(attempt, outcome)) return { outcome, attempts: attempt + 1 };
    const delayMs = retryDelay(attempt, outcome, context.options);
    context.onRetry(outcome, attempt + 1, delayMs);
    await delivery.sleep(delayMs);
    const stopped = delivery.refusal();
    if (stopped?.aborted === 'shutdown') return { outcome: stopped, attempts: attempt + 1 };
  }
}
