import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import { dayOf, ensurePartitions, partitionName, SPAN_PARTITIONS } from '../logs/log.partitions.js';
import { testDatabases } from '../test/databases.js';
import { deferred } from '../test/deferred.js';
import { INGEST_LOGS, logInput, spanRecord, SUBMIT_FEEDBACK, type FeedbackPayload, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { SpanKind } from './span.types.js';

const DAY = 86_400_000;
const today = dayOf(new Date()).getTime();
/** Noon of the UTC day `n` days ago. */
const daysAgo = (n: number) => new Date(today - n * DAY + 12 * 3_600_000);
const hex = () => randomUUID().replaceAll('-', '');

const TRACE = `query($id: String!) { trace(traceId: $id) { llmCallCount inputTokens outputTokens totalCost
  spans { spanId log { eventId } } calls { eventId } } }`;
const TRACES = `query { traces(first: 50) { nodes { traceId llmCallCount inputTokens totalCost } } }`;
const SESSIONS = `query { sessions(first: 50) { nodes { sessionId llmCallCount totalTokens totalCost } } }`;
const SESSION = `query($id: String!) { session(sessionId: $id) { llmCallCount totalTokens calls { eventId } traces { traceId } } }`;
const LOG = `query($id: ID!) { log(id: $id) { eventId prompt response trace { traceId } } }`;
const FEEDBACK_LOGS = `query { feedback(first: 50) { nodes { logEventId log { eventId response } } } }`;

// A trace's spans ran two days ago; one of its model calls was logged twelve days ago (a client whose
// clock was off, or a call logged by another service): totals and lists must still count it.
describe.each(testDatabases())('traces, sessions and their model calls over day partitions, on $name', (database) => {
  const sut = useTestLumen(database);
  const traceId = hex();
  const sessionId = `s-${randomUUID()}`;
  const llmSpanId = hex().slice(0, 16);
  const inSpan = logInput({
    traceId,
    spanId: llmSpanId,
    sessionId,
    timestamp: daysAgo(2).toISOString(),
    inputTokens: 100,
    outputTokens: 10,
    cost: 0.25,
  });
  const early = logInput({
    traceId,
    sessionId,
    timestamp: daysAgo(12).toISOString(),
    inputTokens: 7,
    outputTokens: 3,
    cost: 0.5,
    response: 'Twelve days ago.',
  });
  let earlyId: string;
  const logIdOf = async (eventId: string) =>
    (await sut.lumen.services.sql.query<{ id: string }>('select id::text from app_log where event_id = $1', [eventId]))[0]!.id;

  beforeAll(async () => {
    // A partition for each day of the last three weeks, as a server running that long has.
    await ensurePartitions(sut.lumen.services.sql, daysAgo(21), daysAgo(0));
    const root = spanRecord({ traceId, spanId: hex().slice(0, 16), name: 'Dify', startTime: daysAgo(2), durationMs: 5000, sessionId });
    await sut.lumen.services.spanIngest.store([
      root,
      spanRecord({
        traceId,
        spanId: llmSpanId,
        parentSpanId: root.spanId,
        name: 'llm',
        kind: SpanKind.LLM,
        startTime: new Date(daysAgo(2).getTime() + 1000),
        durationMs: 2000,
        sessionId,
      }),
    ]);
    const ingested = await sut.gql<IngestPayload>(INGEST_LOGS, { logs: [inSpan, early] });
    expect(ingested.data!.ingestLogs).toMatchObject({ accepted: 2, rejected: [] });
    earlyId = await logIdOf(early.eventId);
  });

  it('counts every model call of a trace, also one logged days outside its spans', async () => {
    const { data } = await sut.gql<{ trace: Record<string, unknown> }>(TRACE, { id: traceId });
    expect(data!.trace).toMatchObject({ llmCallCount: 2, inputTokens: 107, outputTokens: 13, totalCost: '0.75' });
    expect(data!.trace.calls).toEqual([{ eventId: early.eventId }, { eventId: inSpan.eventId }]);
    expect(data!.trace.spans).toEqual(expect.arrayContaining([{ spanId: llmSpanId, log: { eventId: inSpan.eventId } }]));
  });

  it('counts them in the traces and sessions lists and in the session', async () => {
    const traces = (await sut.gql<{ traces: { nodes: Record<string, unknown>[] } }>(TRACES)).data!.traces.nodes;
    expect(traces).toContainEqual({ traceId, llmCallCount: 2, inputTokens: 107, totalCost: '0.75' });
    const sessions = (await sut.gql<{ sessions: { nodes: Record<string, unknown>[] } }>(SESSIONS)).data!.sessions.nodes;
    expect(sessions).toContainEqual({ sessionId, llmCallCount: 2, totalTokens: 120, totalCost: '0.75' });
    const session = (await sut.gql<{ session: Record<string, unknown> }>(SESSION, { id: sessionId })).data!.session;
    expect(session).toEqual({
      llmCallCount: 2,
      totalTokens: 120,
      calls: [{ eventId: early.eventId }, { eventId: inSpan.eventId }],
      traces: [{ traceId }],
    });
  });

  it('finds a log, its prompt and response and a feedback’s log by id, also one loaded without its eventId claim', async () => {
    const { data } = await sut.gql<{ log: Record<string, unknown> }>(LOG, { id: earlyId });
    expect(data!.log).toEqual({ eventId: early.eventId, prompt: early.prompt, response: 'Twelve days ago.', trace: { traceId } });
    // A log with its prompt and response is located once and read once, not read again for its content.
    const sql = sut.lumen.services.sql;
    const original = sql.query;
    const statements: string[] = [];
    sql.query = ((text: string, values?: unknown[]) => {
      statements.push(text);
      return original(text, values);
    }) as typeof sql.query;
    try {
      await sut.gql(`query($id: ID!) { log(id: $id) { prompt response } }`, { id: earlyId });
    } finally {
      sql.query = original;
    }
    expect(statements.filter((text) => /from app_log_event\b/.test(text))).toHaveLength(1);
    expect(statements.filter((text) => /from app_log\b/.test(text))).toHaveLength(1);
    const submitted = await sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, {
      input: { logEventId: early.eventId, rating: 'POSITIVE' },
    });
    expect(submitted.data!.submitFeedback.logId).toBe(earlyId);
    const feedback = (await sut.gql<{ feedback: { nodes: Record<string, unknown>[] } }>(FEEDBACK_LOGS)).data!.feedback.nodes;
    expect(feedback).toContainEqual({ logEventId: early.eventId, log: { eventId: early.eventId, response: 'Twelve days ago.' } });

    // A log restored straight into app_log, without its app_log_event row: found all the same.
    const [restored] = await sut.lumen.services.sql.query<{ id: string }>(
      `insert into app_log (event_id, ts, app_id, provider, model, status, cost_source, response)
       values ($1, $2, 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', 'Restored.') returning id::text`,
      [`restored-${randomUUID()}`, daysAgo(5)],
    );
    const found = await sut.gql<{ log: Record<string, unknown> | null }>(LOG, { id: restored!.id });
    expect(found.data!.log).toMatchObject({ response: 'Restored.', trace: null });
    expect((await sut.gql<{ log: unknown }>(LOG, { id: '999999999' })).data!.log).toBeNull();
  });

  it('reads spans and calls stored to the microsecond, the last of them included', async () => {
    // Loaded straight into the database, as a restore would: times finer than a millisecond, the
    // model call and its span at the trace's very end.
    const id = hex();
    const eventId = `micro-${randomUUID()}`;
    const start = `${daysAgo(3).toISOString().slice(0, 10)} 12:00:00.000001+00`;
    const end = `${daysAgo(3).toISOString().slice(0, 10)} 12:00:01.234567+00`;
    const sql = sut.lumen.services.sql;
    await sql.query(
      `insert into span (trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, app_id)
       values ($1, 'a1', null, 'root', 'CHAIN', $2, $3, 1234, 'OK', 'chat'), ($1, 'a2', 'a1', 'llm', 'LLM', $3, $3, 0, 'OK', 'chat')`,
      [id, start, end],
    );
    await sql.query(
      `insert into trace_summary (trace_id, name, has_root, app_id, start_time, end_time, span_count, error_count)
       values ($1, 'root', true, 'chat', $2, $3, 2, 0)`,
      [id, start, end],
    );
    await sql.query(
      `with log as (
         insert into app_log (event_id, ts, app_id, provider, model, status, cost_source, trace_id, span_id, input_tokens, output_tokens)
         values ($1, $2, 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', $3, 'a2', 5, 6) returning id, event_id, ts, trace_id)
       insert into app_log_event (event_id, ts, log_id, trace_id) select event_id, ts, id, trace_id from log`,
      [eventId, end, id],
    );
    const byId = await sut.gql<{ log: unknown }>(LOG, { id: await logIdOf(eventId) });
    expect(byId.data!.log).toMatchObject({ eventId, trace: { traceId: id } });
    const { data } = await sut.gql<{ trace: Record<string, unknown> }>(TRACE, { id });
    expect(data!.trace).toMatchObject({
      llmCallCount: 1,
      inputTokens: 5,
      outputTokens: 6,
      spans: [
        { spanId: 'a1', log: null },
        { spanId: 'a2', log: { eventId } },
      ],
      calls: [{ eventId }],
    });
  });

  it('links feedback by traceId to the latest call of the trace', async () => {
    const { data } = await sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input: { traceId, rating: 'NEGATIVE' } });
    const [log] = await sut.lumen.services.sql.query<{ id: string }>('select id from app_log where event_id = $1', [inSpan.eventId]);
    expect(data!.submitFeedback.logId).toBe(log!.id);
  });

  // Only PostgreSQL has a second connection to hold a lock from.
  if (database.name === 'postgres')
    it('reads neither spans nor logs from a day partition outside the trace’s and the logs’ days', async () => {
      // Another transaction holds a day without any of these rows locked; a statement planned over every
      // partition would have to wait for it.
      const day = daysAgo(17);
      const locked = [partitionName(day), partitionName(day, SPAN_PARTITIONS)];
      const holding = deferred<void>();
      const release = deferred<void>();
      const holder = sut.lumen.services.sql.transaction(async (query) => {
        for (const table of locked) await query(`lock table ${table} in access exclusive mode`);
        holding.resolve();
        await release.promise;
      });
      await holding.promise;
      const waiting = async () =>
        Number(
          (
            await sut.lumen.services.sql.query<{ n: string }>(
              `select count(*) as n from pg_locks where not granted and relation = any($1::regclass[])`,
              [locked],
            )
          )[0]!.n,
        ) > 0;
      const reads = {
        trace: () => sut.gql(TRACE, { id: traceId }),
        traces: () => sut.gql(TRACES),
        sessions: () => sut.gql(SESSIONS),
        session: () => sut.gql(SESSION, { id: sessionId }),
        feedback: () => sut.gql(SUBMIT_FEEDBACK, { input: { traceId, rating: 'POSITIVE' } }),
        feedbackByEvent: () => sut.gql(SUBMIT_FEEDBACK, { input: { logEventId: inSpan.eventId, rating: 'POSITIVE' } }),
        log: () => sut.gql(LOG, { id: earlyId }),
        feedbackLogs: () => sut.gql(FEEDBACK_LOGS),
      };
      /** Whether the read had to wait for the locked partitions; the lock is then released so it can finish. */
      const waitedForLock = async (read: () => Promise<{ errors?: unknown }>) => {
        let settled = false;
        const result = read().finally(() => {
          settled = true;
        });
        let waited = false;
        while (!settled && !waited) {
          waited = await waiting();
          if (!waited) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (waited) release.resolve();
        expect((await result).errors).toBeUndefined();
        return waited;
      };
      const blocked: string[] = [];
      try {
        // The first read that waits ends the test: the lock is gone after it.
        for (const [name, read] of Object.entries(reads)) {
          if (await waitedForLock(read)) {
            blocked.push(name);
            break;
          }
        }
      } finally {
        release.resolve();
        await holder;
      }
      expect(blocked).toEqual([]);
    });
});
