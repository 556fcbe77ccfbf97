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

/** Where some logs are by id: see locateLogIds. */
export interface LogIdTimes {
  /** The first and last time of the logs found; null when none was. */
  times: LogTimes | null;
  /** The ids app_log_event does not know: no log by that id, or one loaded straight into app_log. */
  unlocated: string[];
}

/**
 * Where the logs of some ids are: the first and last time of those that app_log_event records (every
 * log stored by ingestion), read from its log_id index. A log id carries no time, so a lookup by id alone
 * opens every day partition of app_log (about 150 ms for the log detail over a year of them).
 */
export async function locateLogIds(query: SqlQuery, ids: readonly string[]): Promise<LogIdTimes> {
  if (ids.length === 0) return { times: null, unlocated: [] };
  const [row] = await query<{ first: string | null; last: string | null; found: string[] | null }>(
    `select min(ts)::text as first, max(ts)::text as last, array_agg(log_id::text) as found
       from app_log_event where log_id = any($1::bigint[])`,
    [ids],
  );
  const found = new Set(row?.found ?? []);
  return {
    times: row?.first && row.last ? { from: row.first, to: row.last } : null,
    unlocated: ids.filter((id) => !found.has(id)),
  };
}

/** Where the log of an eventId is: its id and time (to the microsecond), from app_log_event's key; null when none is stored. */
export async function locateLogEvent(query: SqlQuery, eventId: string): Promise<{ id: string; ts: string } | null> {
  const [row] = await query<{ id: string; ts: string }>(
    'select log_id::text as id, ts::text as ts from app_log_event where event_id = $1',
    [eventId],
  );
  return row ?? null;
}
