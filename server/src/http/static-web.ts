import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';

/** server/src/http or server/dist/http -> web/dist */
export const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

const API_PATHS = /^\/(graphql|healthz|v1)(\/|$)/;

/**
 * Serves the built web app, with index.html for every client-side route. Source maps (the build keeps
 * them beside the assets, unreferenced) are served only when `sourceMaps` is set: in production they
 * would hand out the whole client source.
 */
export function serveWeb(app: Express, webDist: string, options: { sourceMaps: boolean } = { sourceMaps: true }): void {
  const index = path.join(webDist, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (_request, response) => {
      response
        .type('html')
        .send(
          '<!doctype html><title>Lumen</title><p>The Lumen API runs at <a href="/graphql">/graphql</a>. The web app is not built: run <code>pnpm build</code>.</p>',
        );
    });
    return;
  }
  if (!options.sourceMaps) {
    app.get(/\.map$/, (_request, response) => {
      response.status(404).type('text/plain').send('Not found');
    });
  }
  app.use(precompressed(webDist));
  // Hashed assets never change; index.html must always be fresh.
  app.use('/assets', express.static(path.join(webDist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(webDist, { index: false, maxAge: '1h' }));
  app.get('/{*route}', (request, response, next) => {
    if (API_PATHS.test(request.path)) return next();
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  });
}

/** The build writes `.br` and `.gz` copies beside each compressible file (web/build/precompress.ts). */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/**
 * Serves the precompressed copy of a built file that the browser accepts (brotli before gzip), with the
 * original's content type, by pointing the request at it before the static handler runs.
 */
function precompressed(webDist: string): RequestHandler {
  const root = path.resolve(webDist);
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const file = path.resolve(root, `.${decodeSafely(request.path)}`);
    if (!file.startsWith(root + path.sep) || ENCODINGS.some((encoding) => file.endsWith(encoding.suffix))) return next();
    const available = ENCODINGS.filter((encoding) => existsSync(file + encoding.suffix));
    if (available.length === 0) return next();
    response.setHeader('vary', 'Accept-Encoding');
    const accepted = acceptedEncodings(request.headers['accept-encoding']);
    const chosen = available.find((encoding) => accepted.has(encoding.name));
    if (!chosen) return next();
    response.type(path.extname(file));
    response.setHeader('content-encoding', chosen.name);
    request.url = request.url.replace(/^([^?]*)/, `$1${chosen.suffix}`);
    next();
  };
}

/** The codings named in Accept-Encoding with a quality above zero. */
export function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const quality = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)).find(Boolean);
    if (quality && Number(quality[1]) === 0) continue;
    accepted.add(name);
  }
  return accepted;
}

function decodeSafely(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return urlPath;
  }
}
