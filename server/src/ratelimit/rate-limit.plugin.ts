import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { LumenContext, LumenPrincipal } from '../graphql/context.js';
import { ErrorCode, rateLimited } from '../graphql/errors.js';
import type { RateBucket, RateLimiter } from './rate-limit.limiter.js';

/** Root fields that send data in: they draw on the `ingest` bucket, everything else on `read`. */
const INGEST_FIELDS = new Set(['ingestLogs', 'submitFeedback']);

export function bucketOf(operation: OperationDefinitionNode): RateBucket {
  const ingest =
    operation.operation === 'mutation' &&
    operation.selectionSet.selections.some((selection) => selection.kind === Kind.FIELD && INGEST_FIELDS.has(selection.name.value));
  return ingest ? 'ingest' : 'read';
}

/** Checks the caller's bucket once the operation is known; a refusal is 429 RATE_LIMITED with Retry-After. */
export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<LumenContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation }) {
          const principal = contextValue.principal;
          if (!principal || !operation) return;
          const decision = await limiter.take(bucketOf(operation), principal.keyId);
          if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
        },
      };
    },
  };
}

/** The same check for an operation on a websocket: null admits it; a refusal is RATE_LIMITED with retryAfter. */
export function rateLimitAdmission(limiter: RateLimiter) {
  return async (operation: OperationDefinitionNode, principal: LumenPrincipal): Promise<GraphQLError | null> => {
    const decision = await limiter.take(bucketOf(operation), principal.keyId);
    if (decision.allowed) return null;
    return new GraphQLError(`Rate limit exceeded; retry after ${decision.retryAfterSeconds} s`, {
      extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: decision.retryAfterSeconds },
    });
  };
}
