import { GraphQLError } from 'graphql';

import { ErrorCode } from './error-codes.js';

export { ErrorCode };

/** Codes produced by GraphQL itself (parsing, validation, variable coercion) that are safe to show. */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  PAYLOAD_TOO_LARGE: 413,
};

function lumenError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
}

export const unauthenticated = (message = 'A valid API key is required: send "Authorization: Bearer <key>"') =>
  lumenError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message: string) => lumenError(ErrorCode.FORBIDDEN, message);

/** Bad input; `field` names the argument or input field, as a dotted path where useful. */
export const badUserInput = (field: string, message: string) => lumenError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field });

export const notFound = (what: string, id: string) => lumenError(ErrorCode.NOT_FOUND, `${what} ${id} does not exist`, { id });

export const payloadTooLarge = (message: string) => lumenError(ErrorCode.PAYLOAD_TOO_LARGE, message);

export const rateLimited = (retryAfterSeconds: number) =>
  new GraphQLError(`Rate limit exceeded; retry after ${retryAfterSeconds} s`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
