import type { RequestHandler, Response } from 'express';

import type { LumenPrincipal } from '../graphql/context.js';

/** The owner of the key an Authorization header carries, or null when it carries none that is valid. */
export type Authenticate = (authorization: string | undefined) => Promise<LumenPrincipal | null>;

/** What a refused request is answered with, in the shape its endpoint speaks (GraphQL or OTLP). */
export type Refusal = (response: Response, message: string) => void;

export const MISSING_KEY = 'A valid API key is required: send "Authorization: Bearer <key>"';
export const UNKNOWN_KEY = 'The API key is unknown or revoked';

/**
 * Checks the API key before any of the body is read, inflated or parsed: a request without a valid
 * key costs a header lookup (answered from the key cache) and a small 401, however large or deeply
 * compressed its body. The connection is closed after the answer, so an unread body is not drained.
 * The principal is left in `response.locals.principal` for the handler.
 */
export function requireApiKey(
  authenticate: Authenticate,
  refuse: Refusal,
  applies: (request: Parameters<RequestHandler>[0]) => boolean = () => true,
): RequestHandler {
  return async (request, response, next) => {
    if (!applies(request)) return next();
    try {
      const principal = await authenticate(request.headers.authorization);
      if (principal) {
        response.locals.principal = principal;
        return next();
      }
      if (hasBody(request)) response.setHeader('connection', 'close');
      response.setHeader('www-authenticate', 'Bearer');
      refuse(response.status(401), request.headers.authorization ? UNKNOWN_KEY : MISSING_KEY);
    } catch (error) {
      next(error);
    }
  };
}

function hasBody(request: Parameters<RequestHandler>[0]): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/** The principal that requireApiKey admitted. */
export function principalOf(response: Response): LumenPrincipal | null {
  return (response.locals.principal as LumenPrincipal | undefined) ?? null;
}
