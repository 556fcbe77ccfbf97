import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

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
  // Hashed assets never change; index.html must always be fresh.
  app.use('/assets', express.static(path.join(webDist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(webDist, { index: false, maxAge: '1h' }));
  app.get('/{*route}', (request, response, next) => {
    if (API_PATHS.test(request.path)) return next();
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  });
}
