import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { LumenContext } from './context.js';
import { CLIENT_ERROR_CODES, ErrorCode } from './errors.js';

/**
 * Clients see only errors of the public vocabulary; anything else (a database failure, a bug) becomes
 * INTERNAL_SERVER_ERROR with the request id, and the server log keeps the cause under that id.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) return formatted;
  return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

export const errorsPlugin: ApolloServerPlugin<LumenContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) {
          const code = error.extensions?.code;
          if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) continue;
          contextValue.log.error({ err: unwrapResolverError(error), path: error.path }, 'request failed');
        }
      },
      async willSendResponse({ contextValue, response }) {
        response.http.headers.set('x-request-id', contextValue.requestId);
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
          error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR
            ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
            : error,
        );
      },
    };
  },
};
