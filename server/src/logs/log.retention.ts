import type { Logger } from 'pino';
import type { Sql } from '../db/sql.js';
import { PeriodicJob } from '../jobs/periodic-job.js';

const BATCH = 5_000;
const INTERVAL_MS = 60 * 60 * 1000;
// A breath between batches lets ingestion (and the single embedded connection) in.
const PAUSE_MS = 50;

/**
 * Deletes logs older than LOG_RETENTION_DAYS in small batches, oldest first, each batch its own short
 * transaction, so that a large backlog never holds locks long enough to stall ingestion.
 */
export async function deleteExpiredLogs(sql: Sql, retentionDays: number, now = new Date(), stopped: () => boolean = () => false): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
  let deleted = 0;
  while (!stopped()) {
    const rows = await sql.query<{ id: string }>(
      `with expired as (select id from app_log where ts < $1 order by ts limit ${BATCH})
       delete from app_log l using expired where l.id = expired.id returning l.id`,
      [cutoff],
    );
    deleted += rows.length;
    if (rows.length < BATCH) break;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return deleted;
}

export function retentionJob(sql: Sql, retentionDays: number, log: Logger): PeriodicJob {
  return new PeriodicJob(
    'log-retention',
    INTERVAL_MS,
    async ({ stopped }) => {
      const deleted = await deleteExpiredLogs(sql, retentionDays, new Date(), stopped);
      if (deleted > 0) log.info({ deleted, retentionDays }, 'expired logs deleted');
    },
    log,
  );
}
