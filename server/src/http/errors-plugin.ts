import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

import { isUnstorableTextError } from '../db/invalid-text.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { LumenContext } from '../graphql/context.js';
import { CLIENT_ERROR_CODES, ErrorCode } from '../graphql/errors.js';
import { UNSTORABLE_TEXT } from '../graphql/text-input-guard.js';

/**
 * Clients see only errors of the public vocabulary; anything else (a database failure, a bug) becomes
 * INTERNAL_SERVER_ERROR with the request id, and the server log keeps the cause under that id.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error?: unknown,
  options: { hideSuggestions?: boolean } = {},
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    // graphql-armor's rules open their refusals with "Syntax Error: ", a parse error's prefix.
    const message = shortMessage(
      code === 'GRAPHQL_VALIDATION_FAILED' ? formatted.message.replace(/^Syntax Error: /, '') : formatted.message,
    );
    return { ...formatted, message: options.hideSuggestions ? withoutSuggestions(message) : message };
  }
  // Where the error happened (path, locations) is the client's own query: safe to keep.
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  const cause = unwrapResolverError(error);
  if (isUnstorableTextError(cause)) {
    return { message: `The input ${UNSTORABLE_TEXT}`, ...where, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (isDatabaseUnavailable(cause)) {
    return {
      message: 'The database is unavailable; nothing was stored or changed. Retry shortly.',
      ...where,
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfter: RETRY_AFTER_SECONDS },
    };
  }
  return { message: 'Internal server error', ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

const RETRY_AFTER_SECONDS = 2;
const MAX_QUOTED = 40;
const MAX_MESSAGE = 500;

/** "Did you mean …?" hints (fields, arguments, enum values, types) describe the schema to whoever probes it. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}

/**
 * Error messages quote the client's input (a token of a syntax error, a variable's value). An error
 * never repeats more than a short excerpt of it: a 32 MiB token must not come back 32 MiB long.
 */
export function shortMessage(message: string): string {
  const quoted = message.replace(/"((?:[^"\\]|\\.){40,})"/gs, (_match, inner: string) => `"${inner.slice(0, MAX_QUOTED)}…"`);
  return quoted.length > MAX_MESSAGE ? `${quoted.slice(0, MAX_MESSAGE)}…` : quoted;
}

/** Logs the errors of an operation that are not the client's, each as one line with its cause. */
export function logOperationErrors(log: Logger, errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) continue;
    const cause = unwrapResolverError(error);
    if (isUnstorableTextError(cause)) log.info({ err: cause, path: error.path }, 'request refused: text the database cannot store');
    else if (isDatabaseUnavailable(cause)) log.warn({ err: cause, path: error.path }, 'request failed: database unavailable');
    else log.error({ err: cause, path: error.path }, 'request failed');
  }
}

/**
 * The errors of a websocket operation, treated as HTTP treats them: logged under the operation's
 * request id, masked, and INTERNAL_SERVER_ERROR carrying that id for the client to quote.
 */
export function maskOperationErrors(
  errors: readonly GraphQLError[],
  context: Pick<LumenContext, 'log' | 'requestId'>,
  hideSuggestions: boolean,
): GraphQLFormattedError[] {
  logOperationErrors(context.log, errors);
  return errors.map((error) => {
    const masked = maskError(error.toJSON(), error, { hideSuggestions });
    return masked.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR
      ? { ...masked, extensions: { ...masked.extensions, requestId: context.requestId } }
      : masked;
  });
}

export const errorsPlugin: ApolloServerPlugin<LumenContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        logOperationErrors(contextValue.log, errors);
      },
      async willSendResponse({ contextValue, response }) {
        response.http.headers.set('x-request-id', contextValue.requestId);
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        // An outage answers 503 with Retry-After, so HTTP clients and proxies retry on their own.
        if (response.body.singleResult.errors.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        }
        response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
          error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR
            ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
            : error,
        );
      },
    };
  },
};
