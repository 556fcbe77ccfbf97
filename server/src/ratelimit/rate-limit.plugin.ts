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

/**
 * What an operation costs its bucket: the logs it carries for ingestion (one request of 1,000 logs is
 * 1,000 times the work of one log), one for each feedback, and one for any other operation.
 */
export function weightOf(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): number {
  if (bucketOf(operation) !== 'ingest') return 1;
  let weight = 0;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || !INGEST_FIELDS.has(selection.name.value)) continue;
    const logs = selection.name.value === 'ingestLogs' ? selection.arguments?.find((arg) => arg.name.value === 'logs')?.value : undefined;
    if (logs?.kind === Kind.LIST) weight += logs.values.length;
    else if (logs?.kind === Kind.VARIABLE) {
      const value = variables?.[logs.name.value];
      weight += Array.isArray(value) ? value.length : 1;
    } else weight += 1;
  }
  return Math.max(1, weight);
}

/** Checks the caller's bucket once the operation is known; a refusal is 429 RATE_LIMITED with Retry-After. */
export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<LumenContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, request }) {
          const principal = contextValue.principal;
          if (!principal || !operation) return;
          const decision = await limiter.take(bucketOf(operation), principal.keyId, weightOf(operation, request.variables));
          if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
        },
      };
    },
  };
}

/** The same check for an operation on a websocket: null admits it; a refusal is RATE_LIMITED with retryAfter. */
export function rateLimitAdmission(limiter: RateLimiter) {
  return async (
    operation: OperationDefinitionNode,
    principal: LumenPrincipal,
    variables: Record<string, unknown> | undefined,
  ): Promise<GraphQLError | null> => {
    const decision = await limiter.take(bucketOf(operation), principal.keyId, weightOf(operation, variables));
    if (decision.allowed) return null;
    return new GraphQLError(`Rate limit exceeded; retry after ${decision.retryAfterSeconds} s`, {
      extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: decision.retryAfterSeconds },
    });
  };
}
