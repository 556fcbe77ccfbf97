import type { RequestHandler } from 'express';

/**
 * The browser-facing protections of every answer. The web app loads only its own scripts (index.html
 * has no inline script) and styles; inline style attributes are allowed because ECharts and Vue set
 * them on elements. The API and websocket are on the same origin ('self'). No page may frame Lumen.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(): RequestHandler {
  return (_request, response, next) => {
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    response.setHeader('x-frame-options', 'DENY');
    response.setHeader('cross-origin-opener-policy', 'same-origin');
    response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    next();
  };
}
