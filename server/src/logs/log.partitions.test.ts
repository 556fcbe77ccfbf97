import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { entities } from '../app/entities.js';
import { openDatabase, type Database } from '../db/orm.js';
import { Sql } from '../db/sql.js';
import { testDatabases } from '../test/databases.js';
import { dayOf, ensurePartitions, maintainPartitions, partitionDays, partitionName, SPAN_PARTITIONS } from './log.partitions.js';
import { deleteExpired } from './log.retention.js';

const PARTITIONS_MIGRATION = 'Migration20261205032000_app_log_partitions';
const SPAN_PARTITIONS_MIGRATION = 'Migration20261205090000_span_partitions';
const DAY = 86_400_000;

/** Every column of every row, in id order: equal fingerprints mean the same rows, byte for byte. */
const FINGERPRINT = `select count(*)::int as n, coalesce(sum(id), 0)::text as ids, md5(coalesce(string_agg(row_to_json(l)::text, '|' order by id), '')) as rows from app_log l`;

const SPAN_FINGERPRINT = `select count(*)::int as n, md5(coalesce(string_agg(row_to_json(s)::text, '|' order by trace_id, span_id), '')) as rows from span s`;

/** Spans of `traces` traces, `days` days apart, each trace's spans spread over a minute. */
const insertSpans = (sql: Sql, prefix: string, traces: number, startDaysAgo: number) =>
  sql.query(
    `with spans as (
       insert into span (trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, error_message, input, output,
                         attributes, app_id, session_id, user_id, model, provider, input_tokens, output_tokens)
       select '${prefix}' || t, 's' || n, case when n > 1 then 's1' end, 'step ' || n, case when n = 2 then 'LLM' else 'CHAIN' end,
              now() - make_interval(days => ${startDaysAgo} - t) + make_interval(secs => n * 10), now() - make_interval(days => ${startDaysAgo} - t) + make_interval(secs => n * 10 + 5),
              5000, case when n = 3 and t % 4 = 0 then 'ERROR' else 'OK' end, case when n = 3 and t % 4 = 0 then 'failed' end,
              '{"q":' || t || '}', case when t % 2 = 0 then 'answer' end, jsonb_build_object('n', n), 'app-' || (t % 3),
              case when t % 2 = 0 then 'sess-' || t end, 'u' || t, case when n = 2 then 'gpt-4o' end, case when n = 2 then 'openai' end,
              case when n = 2 then 10 * t end, case when n = 2 then t end
         from generate_series(0, ${traces - 1}) t, generate_series(1, 4) n
       returning trace_id, parent_span_id, name, app_id, session_id, user_id, start_time, end_time, status)
     insert into trace_summary (trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count)
     select trace_id, min(name) filter (where parent_span_id is null), bool_or(parent_span_id is null), min(app_id), min(session_id),
            min(user_id), min(start_time), max(end_time), count(*), count(*) filter (where status = 'ERROR')
       from spans group by trace_id`,
  );

const day = (offset: number) => new Date(dayOf(new Date()).getTime() + offset * DAY);

describe.each(testDatabases())('app_log partitions on $name', (testDatabase) => {
  let database: Database;
  let drop: () => Promise<void>;
  let sql: Sql;

  beforeAll(async () => {
    const created = await testDatabase.create();
    drop = created.drop;
    database = await openDatabase(created.config, entities, pino({ level: 'silent' }));
    sql = new Sql(database.orm);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('converts an existing table without losing or changing a row, and keeps eventIds unique and ids counting on', async () => {
    const migrator = database.orm.getMigrator();
    await migrator.down({ to: PARTITIONS_MIGRATION });
    const [kind] = await sql.query<{ relkind: string }>(`select relkind from pg_class where relname = 'app_log'`);
    expect(kind).toEqual({ relkind: 'r' });

    // 3,000 logs in the old layout over 45 days, one from 2001, every column filled or null by turns.
    await sql.query(
      `insert into app_log (event_id, ts, app_id, user_id, session_id, trace_id, span_id, provider, model, operation, prompt, response,
                            input_tokens, output_tokens, cached_input_tokens, latency_ms, time_to_first_token_ms, status, error_type,
                            error_message, cost, cost_source, metadata, tags)
       select 'old-' || i, now() - (i * interval '21 minutes'), 'app-' || (i % 3), case when i % 2 = 0 then 'u' || i end,
              's' || (i % 50), 't' || (i % 70), 'sp' || i, 'openai', 'gpt-' || (i % 4), 'chat', 'prompt ' || i, 'response ' || i,
              i, i * 2, i % 5, i % 900, case when i % 3 = 0 then i % 300 end, case when i % 17 = 0 then 'ERROR' else 'SUCCESS' end,
              case when i % 17 = 0 then 'Timeout' end, case when i % 17 = 0 then 'took too long' end, i / 1000.0, 'PROVIDED',
              jsonb_build_object('i', i), array['t' || (i % 3)]
         from generate_series(1, 3000) i`,
    );
    await sql.query(
      `insert into app_log (event_id, ts, app_id, provider, model, status, cost_source) values ('ancient', '2001-02-03T04:05:06Z', 'app-0', 'openai', 'gpt-0', 'SUCCESS', 'PROVIDED')`,
    );
    await sql.query(
      `insert into user_feedback (log_event_id, log_id, rating) select event_id, id, 'NEGATIVE' from app_log where event_id = 'old-7'`,
    );
    const [before] = await sql.query(FINGERPRINT);
    const [lastId] = await sql.query<{ id: string }>('select max(id)::text as id from app_log');

    await migrator.up();

    const [after] = await sql.query(FINGERPRINT);
    expect(after).toEqual(before);
    expect((before as { n: number }).n).toBe(3001);
    const [partitioned] = await sql.query<{ relkind: string }>(`select relkind from pg_class where relname = 'app_log'`);
    expect(partitioned).toEqual({ relkind: 'p' });
    // Every day with logs has its own partition; nothing waits in the default one.
    expect(await sql.query('select 1 from app_log_default')).toEqual([]);
    const days = (await sql.withQuery(partitionDays)).map((d) => d.toISOString().slice(0, 10));
    expect(days).toContain('2001-02-03');
    expect(days).toContain(day(0).toISOString().slice(0, 10));
    expect(days).toContain(day(3).toISOString().slice(0, 10));
    const [events] = await sql.query<{ n: number }>(
      'select count(*)::int as n from app_log_event e join app_log l on l.id = e.log_id and l.ts = e.ts and l.event_id = e.event_id',
    );
    expect(events!.n).toBe(3001);
    // The feedback still finds its log by id.
    const [linked] = await sql.query(`select l.event_id from user_feedback f join app_log l on l.id = f.log_id`);
    expect(linked).toEqual({ event_id: 'old-7' });

    // A replay of a migrated eventId stores nothing; a new log continues the old ids.
    const insert = (eventId: string) =>
      sql.query<{ id: string }>(
        `with claimed as (insert into app_log_event (event_id, ts, log_id) values ($1, now(), nextval('app_log_id_seq')) on conflict do nothing returning log_id)
         insert into app_log (id, event_id, ts, app_id, provider, model, status, cost_source)
         select log_id, $1, now(), 'app-0', 'openai', 'gpt-0', 'SUCCESS', 'PROVIDED' from claimed returning id::text`,
        [eventId],
      );
    expect(await insert('old-12')).toEqual([]);
    const [fresh] = await insert('new-1');
    expect(BigInt(fresh!.id)).toBeGreaterThan(BigInt(lastId!.id));
  });

  it('reads only the partitions of a query range', async () => {
    const from = day(-2).toISOString();
    const to = day(-1).toISOString();
    const plan = await sql.query<{ 'QUERY PLAN': string }>(
      `explain select count(*) from app_log where ts >= '${from}' and ts < '${to}' and app_id = 'app-1'`,
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain(partitionName(day(-2)));
    expect(text).not.toContain(partitionName(day(-1)));
    expect(text).not.toContain(partitionName(day(-3)));
    expect(text).not.toContain('app_log_default');
  });

  it('moves logs of a day without a partition out of the default partition into their own', async () => {
    const stray = new Date('2003-05-06T07:08:09Z');
    await sql.query(
      `insert into app_log (event_id, ts, app_id, provider, model, status, cost_source) values ('stray', $1, 'app-0', 'openai', 'gpt-0', 'SUCCESS', 'PROVIDED')`,
      [stray],
    );
    expect(await sql.query(`select event_id from app_log_default`)).toEqual([{ event_id: 'stray' }]);
    expect(await maintainPartitions(sql)).toBeGreaterThanOrEqual(1);
    expect(await sql.query(`select event_id from app_log_default`)).toEqual([]);
    expect(await sql.query(`select event_id from ${partitionName(dayOf(stray))}`)).toEqual([{ event_id: 'stray' }]);
    // Creating what exists is a no-op.
    expect(await ensurePartitions(sql, day(0), day(3))).toBe(0);
  });

  it('expires logs by dropping whole days, with their eventIds, and keeps the day the cutoff falls in', async () => {
    const count = async (where: string) => (await sql.query<{ n: number }>(`select count(*)::int as n from app_log where ${where}`))[0]!.n;
    const keptDay = dayOf(new Date(Date.now() - 30 * DAY));
    const expected = await count(`ts < '${keptDay.toISOString()}'`);
    const kept = await count(`ts >= '${keptDay.toISOString()}'`);
    expect(expected).toBeGreaterThan(0);

    const deleted = await deleteExpired(sql, 30);

    expect(deleted.logs).toBe(expected);
    expect(await count('true')).toBe(kept);
    const days = await sql.withQuery(partitionDays);
    expect(days[0]!.getTime()).toBe(keptDay.getTime());
    const [orphans] = await sql.query<{ n: number }>(`select count(*)::int as n from app_log_event where ts < $1`, [keptDay]);
    expect(orphans!.n).toBe(0);
    const [events] = await sql.query<{ n: number }>('select count(*)::int as n from app_log_event');
    expect(events!.n).toBe(kept);
  });
  it('converts an existing span table without losing or changing a row, and keeps replays idempotent', async () => {
    const migrator = database.orm.getMigrator();
    await migrator.down({ to: SPAN_PARTITIONS_MIGRATION });
    const [kind] = await sql.query<{ relkind: string }>(`select relkind from pg_class where relname = 'span'`);
    expect(kind).toEqual({ relkind: 'r' });
    // 40 traces over 40 days, four spans each, in the old layout.
    await insertSpans(sql, 'old-', 40, 40);
    const [before] = await sql.query(SPAN_FINGERPRINT);

    await migrator.up();

    const [after] = await sql.query(SPAN_FINGERPRINT);
    expect(after).toEqual(before);
    expect((before as { n: number }).n).toBe(160);
    const [partitioned] = await sql.query<{ relkind: string }>(`select relkind from pg_class where relname = 'span'`);
    expect(partitioned).toEqual({ relkind: 'p' });
    expect(await sql.query('select 1 from span_default')).toEqual([]);
    const days = await sql.withQuery((query) => partitionDays(query, SPAN_PARTITIONS));
    expect(days.length).toBeGreaterThanOrEqual(41);
    expect(partitionName(days[0]!, SPAN_PARTITIONS)).toMatch(/^span_p\d{8}$/);
    // An exporter's retry of a migrated span stores nothing.
    const [replayed] = await sql.query<{ n: number }>(
      `with again as (insert into span select * from span where trace_id = 'old-7' on conflict (trace_id, span_id, start_time) do nothing returning 1)
       select count(*)::int as n from again`,
    );
    expect(replayed!.n).toBe(0);
  });

  it("reads a trace's spans from the partitions of its extent only, and expires spans with whole days and traces", async () => {
    const spans = await sql.query<{ span_id: string }>(
      `select span_id from span where trace_id = 'old-7'
          and start_time >= (select start_time from trace_summary where trace_id = 'old-7')
          and start_time <= (select end_time from trace_summary where trace_id = 'old-7') order by span_id`,
    );
    expect(spans.map((row) => row.span_id)).toEqual(['s1', 's2', 's3', 's4']);
    const plan = (
      await sql.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, costs off, timing off, summary off) select span_id from span where trace_id = 'old-7'
            and start_time >= (select start_time from trace_summary where trace_id = 'old-7')
            and start_time <= (select end_time from trace_summary where trace_id = 'old-7')`,
      )
    )
      .map((row) => row['QUERY PLAN'])
      .join('\n');
    // Run-time pruning: every partition but the trace's day is left unread.
    expect(plan).toMatch(/Subplans Removed: \d+|never executed/);

    const cutoffDay = dayOf(new Date(Date.now() - 30 * DAY));
    const [older] = await sql.query<{ n: number }>(
      `select count(*)::int as n from trace_summary where start_time < now() - interval '30 days'`,
    );
    expect(older!.n).toBeGreaterThan(0);
    await deleteExpired(sql, 30);
    const [left] = await sql.query<{ n: number }>(
      `select count(*)::int as n from trace_summary where start_time < now() - interval '30 days'`,
    );
    expect(left!.n).toBe(0);
    const [orphans] = await sql.query<{ n: number }>(
      `select count(*)::int as n from span s where not exists (select 1 from trace_summary t where t.trace_id = s.trace_id)`,
    );
    expect(orphans!.n).toBe(0);
    const days = await sql.withQuery((query) => partitionDays(query, SPAN_PARTITIONS));
    expect(days[0]!.getTime()).toBe(cutoffDay.getTime());
    // The traces of the last 30 days are whole.
    const [kept] = await sql.query<{ n: number; spans: number }>(
      `select count(*)::int as n, sum(span_count)::int as spans from trace_summary where trace_id like 'old-%'`,
    );
    const [stored] = await sql.query<{ n: number }>(`select count(*)::int as n from span where trace_id like 'old-%'`);
    expect(kept!.n).toBeGreaterThan(20);
    expect(stored!.n).toBe(kept!.spans);
  });
});
