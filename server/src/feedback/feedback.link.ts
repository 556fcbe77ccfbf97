import { Prepared, type SqlQuery } from '../db/sql.js';
import type { StoredLog } from '../logs/log.ingest.js';

/**
 * Linking feedback to its log races when the two arrive together: the feedback insert cannot see a log
 * whose batch is not committed yet, and that batch's link UPDATE cannot see feedback not committed yet,
 * so both could miss. An advisory lock orders them: each ingest transaction takes it shared just before
 * its link UPDATE (ingests never wait for each other) and a feedback submission takes it exclusively
 * around its insert. Whichever commits second sees the other's rows. A submission waits for the ingest
 * transactions already past their insert, and batches reaching that step meanwhile wait for it (one
 * small insert); feedback arrives at human pace, so this is rare and short. Measured on a 1,000-log
 * batch with 2,000 feedback waiting: the lock and the link statement take about 1 + 3 ms of a ~50 ms
 * batch on PostgreSQL, 1 + 4.5 ms on PGlite.
 */
export const FEEDBACK_LINK_LOCK = 0x4c4d_4e46_424bn; // "LMNFBK": no other Lumen lock uses this key.

export async function lockForSubmission(query: SqlQuery): Promise<void> {
  await query('select pg_advisory_xact_lock($1::bigint)', [FEEDBACK_LINK_LOCK.toString()]);
}

/**
 * One statement for both kinds of link, given the batch's eventIds ($1) and traceIds ($2). Feedback by
 * logEventId links to that log. Feedback by traceId only links to the trace's latest log (by timestamp,
 * then id): the answer a user rates is the last call of the request, and a later log of the same trace
 * arriving afterwards moves the link to it. The two updates touch disjoint rows (log_event_id set or
 * not). Only feedback waiting for these eventIds or traces is read, through its partial indexes; the
 * statement runs only when WAITING_SQL found some. Rows linked by
 * trace are locked in id order first: two batches of one trace (sent by two services) would otherwise
 * update the same feedback rows in different orders and could deadlock.
 */
const LINK_SQL = new Prepared(
  'feedback_link',
  `
  with by_event as (
    update user_feedback f
       set log_id = l.id, app_id = coalesce(f.app_id, l.app_id), user_id = coalesce(f.user_id, l.user_id),
           trace_id = coalesce(f.trace_id, l.trace_id)
      from app_log_event e join app_log l on l.id = e.log_id and l.ts = e.ts
     where f.log_event_id = any($1::text[]) and e.event_id = f.log_event_id
    returning f.id
  ), latest as (
    select distinct on (l.trace_id) l.trace_id, l.id, l.app_id, l.user_id
      from app_log l
     where l.trace_id in (select f.trace_id from user_feedback f where f.log_event_id is null and f.trace_id = any($2::text[]))
     order by l.trace_id, l.ts desc, l.id desc
  ), locked as (
    select f.id, latest.id as log_id, latest.app_id, latest.user_id
      from user_feedback f join latest on latest.trace_id = f.trace_id
     where f.log_event_id is null and f.log_id is distinct from latest.id
     order by f.id
       for update of f
  ), by_trace as (
    update user_feedback f
       set log_id = locked.log_id, app_id = coalesce(f.app_id, locked.app_id), user_id = coalesce(f.user_id, locked.user_id)
      from locked
     where f.id = locked.id
    returning f.id
  )
  select (select count(*) from by_event)::int as by_event, (select count(*) from by_trace)::int as by_trace`,
);
const LINK_LOCK = new Prepared('feedback_link_lock', 'select pg_advisory_xact_lock_shared($1::bigint)');

/**
 * Whether any feedback waits for these eventIds ($1) or traces ($2): the rows LINK_SQL would read,
 * found on user_feedback's partial indexes alone. Feedback mostly arrives after its log (and is linked
 * when it is submitted), so this is nearly always false, and LINK_SQL is then not run. That statement
 * opens every day partition of app_log and their indexes whatever it finds: about 0.25 ms of
 * PostgreSQL's CPU at 44 partitions and 2.5–3 ms at a year of them, in every ingest transaction; this
 * check about 0.09 ms at any number of partitions.
 */
const WAITING_SQL = new Prepared(
  'feedback_link_waiting',
  `
  select exists (select 1 from user_feedback f where f.log_event_id = any($1::text[]))
      or exists (select 1 from user_feedback f where f.log_event_id is null and f.trace_id = any($2::text[])) as waiting`,
);

/** The onStored hook: links waiting feedback to the logs just inserted, inside the ingest transaction. */
export async function linkStoredLogs(query: SqlQuery, logs: Pick<StoredLog, 'eventId' | 'traceId'>[]): Promise<void> {
  // A statement of its own: what follows must read with a snapshot taken after the lock is held.
  await query(LINK_LOCK, [FEEDBACK_LINK_LOCK.toString()]);
  const eventIds = logs.map((log) => log.eventId);
  const traces = [...new Set(logs.flatMap((log) => (log.traceId ? [log.traceId] : [])))];
  const [waiting] = await query<{ waiting: boolean }>(WAITING_SQL, [eventIds, traces]);
  if (waiting!.waiting) await query(LINK_SQL, [eventIds, traces]);
}
