/**
 * The one error vocabulary of the API. Every error a client sees carries one of these codes in
 * `extensions.code`; anything else is masked as INTERNAL_SERVER_ERROR (see http/errors-plugin.ts).
 * This file imports nothing: `pnpm codegen` copies these codes into the web app's generated types.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The database (or another dependency) cannot be reached; nothing was done; retry after a while. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
