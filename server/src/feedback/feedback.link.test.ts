import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import type { SqlQuery } from '../db/sql.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { linkStoredLogs } from './feedback.link.js';

describe.each(testDatabases())('the feedback link of an ingest transaction, on $name', (database) => {
  const sut = useTestLumen(database);
  const sql = () => sut.lumen.services.sql;

  const ingested = async (log: Record<string, unknown>) => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs: [log] });
    expect(result.data!.ingestLogs.accepted).toBe(1);
    return (await sql().query<{ id: string }>('select id from app_log where event_id = $1', [log.eventId]))[0]!.id;
  };
  /** Feedback left waiting for its log (as if its log had been stored after it), by eventId or by trace. */
  const waitingFeedback = async (by: { logEventId: string | null; traceId: string | null }) =>
    (
      await sql().query<{ id: string }>(
        `insert into user_feedback (log_event_id, trace_id, rating) values ($1, $2, 'NEGATIVE') returning id`,
        [by.logEventId, by.traceId],
      )
    )[0]!.id;
  const linkedLog = async (feedbackId: string) =>
    (await sql().query<{ log_id: string | null }>('select log_id from user_feedback where id = $1', [feedbackId]))[0]!.log_id;
  /** Runs the hook for these logs in a transaction and returns the statements it ran, by name. */
  const link = (logs: { eventId: string; traceId: string | null }[]) =>
    sql().transaction(async (query) => {
      const statements: string[] = [];
      const recording: SqlQuery = (statement, values) => {
        statements.push(typeof statement === 'string' ? statement : statement.name);
        return query(statement, values);
      };
      await linkStoredLogs(recording, logs);
      return statements;
    });

  it('only checks for waiting feedback when none waits for the logs or their traces', async () => {
    const log = logInput({ traceId: `t-${randomUUID()}` });
    await ingested(log);
    // Feedback about other calls does not count.
    await waitingFeedback({ logEventId: randomUUID(), traceId: null });
    await waitingFeedback({ logEventId: null, traceId: `t-${randomUUID()}` });
    expect(await link([{ eventId: log.eventId as string, traceId: log.traceId as string }])).toEqual([
      'feedback_link_lock',
      'feedback_link_waiting',
    ]);
  });

  it('links feedback waiting for a log by its eventId', async () => {
    const log = logInput();
    const logId = await ingested(log);
    const feedback = await waitingFeedback({ logEventId: log.eventId as string, traceId: null });
    expect(await link([{ eventId: log.eventId as string, traceId: null }])).toEqual([
      'feedback_link_lock',
      'feedback_link_waiting',
      'feedback_link',
    ]);
    expect(await linkedLog(feedback)).toBe(logId);
  });

  it('links feedback waiting for a trace to its latest log', async () => {
    const log = logInput({ traceId: `t-${randomUUID()}` });
    const logId = await ingested(log);
    const feedback = await waitingFeedback({ logEventId: null, traceId: log.traceId as string });
    expect(await link([{ eventId: log.eventId as string, traceId: log.traceId as string }])).toEqual([
      'feedback_link_lock',
      'feedback_link_waiting',
      'feedback_link',
    ]);
    expect(await linkedLog(feedback)).toBe(logId);
  });
});
