import type { Logger } from 'pino';

import type { Sql, SqlQuery } from '../db/sql.js';
import { PeriodicJob } from '../jobs/periodic-job.js';
import { dayOf, dropPartitionsBefore, LOG_PARTITIONS, SPAN_PARTITIONS } from './log.partitions.js';

const BATCH = 5_000;
const INTERVAL_MS = 60 * 60 * 1000;
// A breath between batches lets ingestion (and the single embedded connection) in.
const PAUSE_MS = 50;

export interface Expired {
  logs: number;
  rollups: number;
  feedback: number;
  traces: number;
}

/**
 * What LOG_RETENTION_DAYS removes once it is older than the cutoff: logs, traces with their spans, the metric rollups of whole
 * hours and days before it (they carry app, model and user ids, and would otherwise outlive the logs
 * they summarise), and end-user feedback (its comments are personal data too).
 *
 * Logs go by whole UTC days: the partition of a day is dropped once the day ended before the cutoff
 * (log.partitions.ts), so a log is kept between LOG_RETENTION_DAYS and one day more. The logs still in
 * app_log_default, the eventIds of app_log_event and the rollups go by the same day boundary, so
 * rollups always summarise exactly the logs that are kept. The other kinds go in small batches, oldest
 * first, every batch its own short statement, so a large backlog never holds locks long enough to
 * stall ingestion.
 */
const EXPIRING: [keyof Expired | 'events', string][] = [
  [
    'logs',
    `with expired as (select id, ts from app_log_default where ts < $1 order by ts limit ${BATCH})
            delete from app_log_default l using expired where l.id = expired.id and l.ts = expired.ts`,
  ],
  [
    // Only once the logs are gone: an eventId left without its log is harmless, a log without its eventId could be stored twice.
    'events',
    `delete from app_log_event where ctid in (select ctid from app_log_event where ts < $1 limit ${BATCH})`,
  ],
  [
    'rollups',
    `delete from metric_rollup where ctid in (
                 select ctid from metric_rollup
                  where bucket + case grain when 'hour' then interval '1 hour' else interval '1 day' end <= $1
                  limit ${BATCH})`,
  ],
  [
    // A trace goes whole, with its spans (found by the span table's primary key; those of days before the
    // boundary went with their partitions), once it started before the cutoff.
    'traces',
    `with expired as (select trace_id from trace_summary where start_time < $1 order by start_time limit ${BATCH}),
          spans as (delete from span s using expired where s.trace_id = expired.trace_id)
          delete from trace_summary t using expired where t.trace_id = expired.trace_id`,
  ],
  [
    'feedback',
    `with expired as (select id from user_feedback where created_at < $1 order by created_at limit ${BATCH})
                delete from user_feedback f using expired where f.id = expired.id`,
  ],
];

/** The kinds whose cutoff is the start of the cutoff's UTC day, as the log partitions go. */
const BY_DAY = new Set(['logs', 'events', 'rollups']);

export async function deleteExpired(
  sql: Sql,
  retentionDays: number,
  now = new Date(),
  stopped: () => boolean = () => false,
): Promise<Expired> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
  const boundary = dayOf(cutoff);
  const deleted: Expired = { logs: 0, rollups: 0, feedback: 0, traces: 0 };
  if (!stopped()) deleted.logs += (await dropPartitionsBefore(sql, boundary, LOG_PARTITIONS, { count: true })).rows ?? 0;
  // A span that started before the boundary belongs to a trace that started before the cutoff, which
  // goes whole below; its day's partition goes at once.
  if (!stopped()) await dropPartitionsBefore(sql, boundary, SPAN_PARTITIONS, { count: false });
  for (const [kind, statement] of EXPIRING) {
    while (!stopped()) {
      const at = BY_DAY.has(kind) ? boundary : cutoff;
      const count = await sql.withQuery((query: SqlQuery) => countOf(query, `${statement} returning 1`, at));
      if (kind !== 'events') deleted[kind] += count;
      if (count < BATCH) break;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
  return deleted;
}

async function countOf(query: SqlQuery, statement: string, cutoff: Date): Promise<number> {
  return (await query(statement, [cutoff])).length;
}

export function retentionJob(sql: Sql, retentionDays: number, log: Logger): PeriodicJob {
  return new PeriodicJob(
    'retention',
    INTERVAL_MS,
    async ({ stopped }) => {
      const deleted = await deleteExpired(sql, retentionDays, new Date(), stopped);
      if (deleted.logs + deleted.rollups + deleted.feedback + deleted.traces > 0)
        log.info({ ...deleted, retentionDays }, 'expired data deleted');
    },
    log,
  );
}
