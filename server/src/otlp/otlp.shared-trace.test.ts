import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { deferred, type Deferred } from '../test/deferred.js';
import { otlpRequest, otlpSpan } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

// Only real PostgreSQL runs transactions side by side; PGlite's one connection serialises them anyway.
const concurrentDatabases = testDatabases().filter((database) => database.name === 'postgres');

const TRACE_ID = '7c1d0e5a9b3f4c2e8d6a1b0c9f8e7d6a';

describe.each(concurrentDatabases)('two OTLP requests adding to the same trace at once, on $name', (database) => {
  const sut = useTestLumen(database);
  let ingestKey: string;
  // Holds a request's ingest transaction open once its model calls are written, as slow writes would.
  let gate: { reached: Deferred<void>; release: Deferred<void> } | null = null;

  const post = (spans: object[]) =>
    fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(otlpRequest('otlp-shared-trace', spans)),
    });
  const span = (spanId: string, parentSpanId: string | undefined, attributes: object[]) =>
    otlpSpan({ traceId: TRACE_ID, spanId, parentSpanId, name: parentSpanId ? 'llm' : 'workflow', attributes });
  const llm = [
    { key: 'openinference.span.kind', value: { stringValue: 'LLM' } },
    { key: 'llm.provider', value: { stringValue: 'openai' } },
    { key: 'llm.model_name', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'llm.token_count.prompt', value: { intValue: '20' } },
  ];
  /** Whether a statement of this database waits for another transaction's row (a lock on its transaction id). */
  const waitingForRow = async () =>
    Number(
      (
        await sut.lumen.services.sql.query<{ n: string }>(
          `select count(*) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'transactionid' and not l.granted and a.datname = current_database()`,
        )
      )[0]!.n,
    ) > 0;

  beforeAll(async () => {
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
    sut.lumen.services.logIngest.onStored(async (_query, logs) => {
      if (!gate || !logs.some((log) => log.appId === 'otlp-shared-trace')) return;
      gate.reached.resolve();
      await gate.release.promise;
    });
  });

  it("does not wait for the other request's model calls: the trace's summary row is locked only for the commit", async () => {
    gate = { reached: deferred(), release: deferred() };
    // A: the model call of the trace; its transaction is held after its log is written.
    const first = post([span('0a1b2c3d4e5f6071', 'f0e1d2c3b4a59687', llm)]);
    await gate.reached.promise;
    // B: the workflow span of the same trace, while A is held.
    let settled = false;
    const second = post([
      span('f0e1d2c3b4a59687', undefined, [{ key: 'openinference.span.kind', value: { stringValue: 'CHAIN' } }]),
    ]).finally(() => {
      settled = true;
    });
    // B either finishes while A is held, or it waits for a row A has locked.
    let waited = false;
    while (!settled && !waited) {
      waited = await waitingForRow();
      if (!waited) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    gate.release.resolve();
    expect({ settled, waited }).toEqual({ settled: true, waited: false });
    expect((await second).status).toBe(200);
    expect((await first).status).toBe(200);

    // Both requests added to the one summary: two spans, the workflow as the root, the call as its log.
    const [summary] = await sut.lumen.services.sql.query<{ name: string; has_root: boolean; span_count: number }>(
      'select name, has_root, span_count from trace_summary where trace_id = $1',
      [TRACE_ID],
    );
    expect(summary).toEqual({ name: 'workflow', has_root: true, span_count: 2 });
    const logs = await sut.lumen.services.sql.query<{ span_id: string }>('select span_id from app_log where trace_id = $1', [TRACE_ID]);
    expect(logs).toEqual([{ span_id: '0a1b2c3d4e5f6071' }]);
  });
});
