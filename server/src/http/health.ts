import type { Express } from 'express';
import type { Logger } from 'pino';

import type { Sql } from '../db/sql.js';

const TIMEOUT_MS = 3_000;

/** GET /healthz: 200 when the database answers within a few seconds, 503 otherwise. */
export function serveHealth(app: Express, sql: Sql, log: Logger): void {
  app.get('/healthz', async (_request, response) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql.query('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database did not answer in time')), TIMEOUT_MS);
        }),
      ]);
      response.json({ status: 'ok', database: 'ok' });
    } catch (error) {
      log.warn({ err: error }, 'health check failed');
      response.status(503).json({ status: 'unavailable', database: 'unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
}
