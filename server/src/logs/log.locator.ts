import type { SqlQuery } from '../db/sql.js';

/**
 * The first and last time of some logs, as PostgreSQL writes a timestamptz: to the microsecond, which a
 * Date would round to the millisecond (and so miss a log stored in the last millisecond of the range).
 * Statements take them as `$n::timestamptz`.
 */
export interface LogTimes {
  from: string;
  to: string;
}

/**
 * Where the logs of some traces or sessions are: the first and last time of their logs, read from
 * app_log_event's (trace_id, ts) or (session_id, ts) index without touching app_log. A statement that
 * then reads app_log with `ts between from and to` as parameters is planned for the day partitions of
 * that range only, where a lookup by trace or session alone opens every day partition (a year of them
 * made `trace()` take about 100 ms). Null when there is no such log.
 */
export async function locateLogs(query: SqlQuery, key: 'trace_id' | 'session_id', values: readonly string[]): Promise<LogTimes | null> {
  if (values.length === 0) return null;
  const [row] = await query<{ first: string | null; last: string | null }>(
    `select min(ts)::text as first, max(ts)::text as last from app_log_event where ${key} = any($1::text[])`,
    [values],
  );
  return row?.first && row.last ? { from: row.first, to: row.last } : null;
}
