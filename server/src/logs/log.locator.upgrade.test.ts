import { describe, expect, it } from 'vitest';

import { Sql } from '../db/sql.js';
import { revertMigrationsTo, testDatabases, useOpenDatabase } from '../test/databases.js';
import { locateLogs } from './log.locator.js';

const LOCATOR_MIGRATION = 'Migration20261206080000_log_locator';

describe.each(testDatabases())('upgrading to located logs on $name', (testDatabase) => {
  const open = useOpenDatabase(testDatabase);

  it('records the trace and session of every log stored before, so they are located like new ones', async () => {
    const database = open();
    await revertMigrationsTo(database, LOCATOR_MIGRATION);
    const sql = new Sql(database.orm);
    // Three logs stored before the upgrade, with their eventId claims as ingestion made them then.
    await sql.query(
      `with logs as (
         insert into app_log (event_id, ts, app_id, provider, model, status, cost_source, trace_id, session_id)
         values ('old-1', '2026-10-01T10:05:00Z', 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', 't-1', 's-1'),
                ('old-2', '2026-10-03T08:00:00Z', 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', 't-1', null),
                ('old-3', '2026-10-02T09:00:00Z', 'chat', 'openai', 'gpt-4o', 'SUCCESS', 'PROVIDED', null, null)
         returning id, event_id, ts)
       insert into app_log_event (event_id, ts, log_id) select event_id, ts, id from logs`,
    );

    await database.orm.getMigrator().up();
    expect(await sql.query('select event_id, trace_id, session_id from app_log_event order by event_id')).toEqual([
      { event_id: 'old-1', trace_id: 't-1', session_id: 's-1' },
      { event_id: 'old-2', trace_id: 't-1', session_id: null },
      { event_id: 'old-3', trace_id: null, session_id: null },
    ]);
    const located = async (key: 'trace_id' | 'session_id', values: string[]) => {
      const times = await locateLogs(sql.query, key, values);
      return times && { from: new Date(times.from).toISOString(), to: new Date(times.to).toISOString() };
    };
    expect(await located('trace_id', ['t-1'])).toEqual({ from: '2026-10-01T10:05:00.000Z', to: '2026-10-03T08:00:00.000Z' });
    expect(await located('session_id', ['s-1', 's-2'])).toEqual({ from: '2026-10-01T10:05:00.000Z', to: '2026-10-01T10:05:00.000Z' });
    expect(await located('trace_id', ['t-2'])).toBeNull();
  });
});
