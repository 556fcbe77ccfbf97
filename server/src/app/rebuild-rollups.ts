/**
 * Recomputes metric rollups from app_log: after loading logs straight into the database (bulk COPY,
 * restore) or to repair them. `DATABASE_URL=... pnpm --filter @lumen/server metrics:rebuild`
 * (or `node dist/app/rebuild-rollups.js`). Ingest may go on meanwhile.
 */
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/orm.js';
import { Sql } from '../db/sql.js';
import { createLogger } from '../logger.js';
import { MetricRollups } from '../metrics/metrics.rollups.js';
import { entities } from './entities.js';

const config = loadConfig();
const log = createLogger(config);
const database = await openDatabase(config.database, entities, log);
try {
  const started = Date.now();
  await new MetricRollups(new Sql(database.orm), log, { intervalMs: 0 }).rebuild();
  log.info({ seconds: (Date.now() - started) / 1000 }, 'rollups rebuilt');
} finally {
  await database.close();
}
