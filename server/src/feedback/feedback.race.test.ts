import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { deferred, type Deferred } from '../test/deferred.js';
import { INGEST_LOGS, logInput, SUBMIT_FEEDBACK, type FeedbackPayload, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

// Only real PostgreSQL runs transactions side by side; PGlite's one connection serialises them anyway.
const concurrentDatabases = testDatabases().filter((database) => database.name === 'postgres');

describe.each(concurrentDatabases)('feedback submitted while its log is being committed, on $name', (database) => {
  const sut = useTestLumen(database);
  // Holds an ingest transaction open after the feedback link ran, as a slow commit would.
  let gate: { reached: Deferred<void>; release: Deferred<void> } | null = null;

  const sql = () => sut.lumen.services.sql;
  const logIdOf = async (eventId: unknown) =>
    (await sql().query<{ id: string }>('select id from app_log where event_id = $1', [eventId]))[0]!.id;
  const linkedLog = async (feedbackId: string) =>
    (await sql().query<{ log_id: string | null }>('select log_id from user_feedback where id = $1', [feedbackId]))[0]!.log_id;
  const waitingForLock = async () =>
    Number((await sql().query<{ n: string }>(`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`))[0]!.n) > 0;

  /** Submits feedback while a batch holding its log is stored but not committed, and returns the feedback. */
  async function submitDuringIngest(log: Record<string, unknown>, feedback: Record<string, unknown>): Promise<FeedbackPayload> {
    gate = { reached: deferred(), release: deferred() };
    const ingesting = sut.gql<IngestPayload>(INGEST_LOGS, { logs: [log] });
    await gate.reached.promise;
    let settled = false;
    const submitting = sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input: feedback }).finally(() => {
      settled = true;
    });
    // Either the submission finished without waiting (it could not see the log), or it waits for the batch.
    while (!settled && !(await waitingForLock())) await new Promise((resolve) => setTimeout(resolve, 5));
    gate.release.resolve();
    expect((await ingesting).data!.ingestLogs.accepted).toBe(1);
    return (await submitting).data!.submitFeedback;
  }

  beforeAll(async () => {
    sut.lumen.services.logIngest.onStored(async (_query, logs) => {
      if (!gate || !logs.some((log) => log.appId === 'race-gate')) return;
      gate.reached.resolve();
      await gate.release.promise;
    });
  });

  it('links feedback by logEventId', async () => {
    const log = logInput({ appId: 'race-gate' });
    const feedback = await submitDuringIngest(log, { logEventId: log.eventId, rating: 'NEGATIVE' });
    expect(await linkedLog(feedback.id)).toBe(await logIdOf(log.eventId));
  });

  it('links feedback by traceId', async () => {
    const log = logInput({ appId: 'race-gate', traceId: `t-${randomUUID()}` });
    const feedback = await submitDuringIngest(log, { traceId: log.traceId, rating: 'POSITIVE' });
    expect(await linkedLog(feedback.id)).toBe(await logIdOf(log.eventId));
  });
});
