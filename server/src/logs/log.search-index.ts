import type { Logger } from 'pino';

import type { Sql } from '../db/sql.js';

/** As the migration creates it (Migration20261204235253_log_content_search) and log.where.ts searches it. */
const CREATE = `create index if not exists "app_log_content_trgm_index" on "app_log" using gin ((coalesce("prompt", '') || ' ' || coalesce("response", '')) gin_trgm_ops)`;

/**
 * The trigram index makes search fast on millions of logs but costs ingestion about 40 % of its speed
 * (README, "Searching prompts and responses"). LOG_SEARCH_INDEX=false drops it at start-up (search then
 * scans the logs of the range it is given); setting it back to true rebuilds it, which on a large table
 * takes minutes before the server listens.
 */
export async function applySearchIndexSetting(sql: Sql, enabled: boolean, log: Logger): Promise<void> {
  const [row] = await sql.query<{ present: boolean }>(`select to_regclass('app_log_content_trgm_index') is not null as present`);
  if (enabled === row!.present) return;
  if (enabled) {
    log.info('building the search index on prompts and responses (LOG_SEARCH_INDEX=true)');
    await sql.query(CREATE);
  } else {
    await sql.query('drop index if exists "app_log_content_trgm_index"');
    log.info('search index on prompts and responses dropped (LOG_SEARCH_INDEX=false)');
  }
}
