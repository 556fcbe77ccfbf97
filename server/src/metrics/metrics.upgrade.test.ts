import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { Sql } from '../db/sql.js';
import { revertMigrationsTo, testDatabases, useOpenDatabase } from '../test/databases.js';
import { MetricRollups } from './metrics.rollups.js';

const TTFT_MIGRATION = 'Migration20261204230043_ttft_throughput';

describe.each(testDatabases())('upgrading to TTFT rollups on $name', (testDatabase) => {
  const open = useOpenDatabase(testDatabase);

  it('re-queues the logs stored before, so the compactor rebuilds their rollups with TTFT and throughput', async () => {
    const database = open();
    const migrator = database.orm.getMigrator();
    await revertMigrationsTo(database, TTFT_MIGRATION);
    const sql = new Sql(database.orm);
    // Two logs stored before the upgrade, and the rollup the old compactor made of them (no TTFT in it).
    await sql.query(
      `insert into app_log (event_id, ts, app_id, provider, model, status, cost_source, input_tokens, output_tokens, latency_ms, time_to_first_token_ms, cost)
       values ('old-1', '2026-10-01T10:05:00Z', 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', 10, 400, 1000, 200, 0.5),
              ('old-2', '2026-10-01T10:35:00Z', 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', 10, 100, 500, null, 0.25)`,
    );
    await sql.query(
      `insert into metric_rollup (grain, dim, bucket, requests, errors, latency_count, latency_sum, input_tokens, output_tokens, cost, latency_hist)
       values ('hour', 'all', '2026-10-01T10:00:00Z', 2, 0, 2, 1500, 20, 500, 0.75, ''::bytea)`,
    );

    await migrator.up();
    const [pending] = await sql.query<{ n: number; ttft: number }>(
      'select count(*)::int as n, sum(ttft_ms)::int as ttft from metric_pending',
    );
    expect(pending).toEqual({ n: 2, ttft: 200 });
    expect(await sql.query('select 1 from metric_rollup')).toEqual([]);

    await new MetricRollups(sql, pino({ level: 'silent' }), { intervalMs: 0 }).flush();
    const [hour] = await sql.query<Record<string, string>>(
      `select requests::text, cost::text, ttft_count::text, ttft_sum::text, generation_tokens::text, generation_ms::text, length(ttft_hist)::text as ttft_hist
         from metric_rollup where grain = 'hour' and dim = 'all'`,
    );
    // Generation: 1000 − 200 = 800 ms for 400 tokens, 500 ms for 100 tokens.
    expect(hour).toEqual({
      requests: '2',
      cost: '0.7500000000',
      ttft_count: '1',
      ttft_sum: '200',
      generation_tokens: '500',
      generation_ms: '1300',
      ttft_hist: '6',
    });
  });
});
