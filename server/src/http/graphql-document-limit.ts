import type { RequestHandler } from 'express';

import { ErrorCode } from '../graphql/errors.js';

/**
 * Refuses a GraphQL document (the query text) over GRAPHQL_MAX_DOCUMENT_BYTES before it is parsed.
 * Real documents are a few KiB (data travels in variables); a huge one is only work for the parser
 * and, in a syntax error, text to echo.
 */
export function graphqlDocumentLimit(maxBytes: number): RequestHandler {
  return (request, response, next) => {
    const body = request.body as { query?: unknown } | undefined;
    const query = typeof body?.query === 'string' ? body.query : typeof request.query.query === 'string' ? request.query.query : null;
    if (query === null || !documentTooLarge(query, maxBytes)) return next();
    response.status(413).json({
      errors: [
        {
          message: `The GraphQL document is larger than the limit of ${maxBytes} bytes (GRAPHQL_MAX_DOCUMENT_BYTES); send data in variables`,
          extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE },
        },
      ],
    });
  };
}

export function documentTooLarge(query: string, maxBytes: number): boolean {
  return query.length > maxBytes || (query.length * 3 > maxBytes && Buffer.byteLength(query, 'utf8') > maxBytes);
}
