import type { Query } from '../db/sql.js';
import type { StoredLog } from '../logs/log.ingest.js';

/**
 * Linking feedback to its log races when the two arrive together: the feedback insert cannot see a log
 * whose batch is not committed yet, and that batch's link UPDATE cannot see feedback not committed yet,
 * so both could miss. An advisory lock orders them: each ingest transaction takes it shared just before
 * its link UPDATE (ingests never wait for each other) and a feedback submission takes it exclusively
 * around its insert. Whichever commits second sees the other's rows. A submission waits at most for the
 * ingest transactions in flight; feedback arrives at human pace, so that is rare and short.
 */
export const FEEDBACK_LINK_LOCK = 0x4c4d_4e46_424bn; // "LMNFBK": no other Lumen lock uses this key.

export async function lockForSubmission(query: Query): Promise<void> {
  await query('select pg_advisory_xact_lock($1::bigint)', [FEEDBACK_LINK_LOCK.toString()]);
}

/**
 * Feedback by logEventId links to that log. Feedback by traceId only links to the trace's latest log
 * (by timestamp, then id): the answer a user rates is the last call of the request, and a later log of
 * the same trace arriving afterwards moves the link to it.
 */
const LINK_BY_EVENT_SQL = `
  update user_feedback f
     set log_id = n.id, app_id = coalesce(f.app_id, n.app_id), user_id = coalesce(f.user_id, n.user_id),
         trace_id = coalesce(f.trace_id, n.trace_id)
    from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) as n(event_id, id, app_id, user_id, trace_id)
   where f.log_event_id = n.event_id`;

// Only traces that have feedback waiting are read from app_log, so batches without any cost index probes
// on the small user_feedback table. Rows are locked in id order first: two batches of one trace (sent by
// two services) would otherwise update the same feedback rows in different orders and could deadlock.
const LINK_BY_TRACE_SQL = `
  with latest as (
    select distinct on (l.trace_id) l.trace_id, l.id, l.app_id, l.user_id
      from app_log l
     where l.trace_id in (select f.trace_id from user_feedback f where f.log_event_id is null and f.trace_id = any($1::text[]))
     order by l.trace_id, l.ts desc, l.id desc
  ), locked as (
    select f.id, latest.id as log_id, latest.app_id, latest.user_id
      from user_feedback f join latest on latest.trace_id = f.trace_id
     where f.log_event_id is null and f.log_id is distinct from latest.id
     order by f.id
       for update of f
  )
  update user_feedback f
     set log_id = locked.log_id, app_id = coalesce(f.app_id, locked.app_id), user_id = coalesce(f.user_id, locked.user_id)
    from locked
   where f.id = locked.id`;

/** The onStored hook: links waiting feedback to the logs just inserted, inside the ingest transaction. */
export async function linkStoredLogs(query: Query, logs: StoredLog[]): Promise<void> {
  await query('select pg_advisory_xact_lock_shared($1::bigint)', [FEEDBACK_LINK_LOCK.toString()]);
  await query(LINK_BY_EVENT_SQL, [
    logs.map((log) => log.eventId),
    logs.map((log) => log.id),
    logs.map((log) => log.appId),
    logs.map((log) => log.userId),
    logs.map((log) => log.traceId),
  ]);
  const traces = [...new Set(logs.flatMap((log) => (log.traceId ? [log.traceId] : [])))];
  if (traces.length > 0) await query(LINK_BY_TRACE_SQL, [traces]);
}
