import type pg from 'pg';

import { withClient } from './dashboard.js';

const DAY = 86_400_000;

/** Gives every UTC day from `from` to `to` its partition of `table` (as the server's partition job does), before a bulk load. */
export async function createLogPartitions(
  databaseUrl: string,
  from: number,
  to: number,
  table: 'app_log' | 'span' = 'app_log',
): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    for (let day = Math.floor(from / DAY) * DAY; day <= to; day += DAY) {
      const start = new Date(day).toISOString();
      const end = new Date(day + DAY).toISOString();
      await client.query(
        `create table if not exists "${table}_p${start.slice(0, 10).replaceAll('-', '')}" partition of ${table} for values from ('${start}') to ('${end}')`,
      );
    }
  });
}

export interface RetentionResult {
  logs: number;
  days: number;
  keepDays: number;
  expired: number;
  /** countSeconds: the part of seconds spent counting each day's logs before its DROP. */
  drop: { seconds: number; countSeconds: number; walBytes: number; partitions: number };
  delete: { seconds: number; walBytes: number; statements: number };
}

// The generated rows: the bench's shape (a ~120-byte prompt and response, dimensions with a few values).
const ROWS = (table: string, count: number, from: Date, spanMs: number) =>
  `
  insert into ${table} (id, event_id, ts, app_id, user_id, session_id, provider, model, prompt, response, input_tokens, output_tokens,
                        latency_ms, status, cost, cost_source)
  select i, 'ret-' || i, $1::timestamptz + (i * ${spanMs / count}::float8) * interval '1 millisecond', 'app-' || (i % 5),
         'user-' || (i % 1000), 's-' || (i % 50000), 'openai', 'model-' || (i % 8), repeat(md5(i::text), 4), repeat(md5((i + 1)::text), 4),
         i % 2000, i % 700, i % 3000, case when i % 50 = 0 then 'ERROR' else 'SUCCESS' end, (i % 100) / 10000.0, 'PROVIDED'
    from generate_series(0, ${count - 1}) i`.replace('$1', `'${from.toISOString()}'`);

/** app_log's own indexes, re-created on `table` (so both layouts carry what a real table carries). */
async function copyIndexes(client: pg.Client, table: string): Promise<void> {
  const { rows } = await client.query<{ def: string; name: string }>(
    `select indexdef as def, indexname as name from pg_indexes where tablename = 'app_log' and indexname <> 'app_log_pkey'`,
  );
  for (const { def, name } of rows) {
    await client.query(
      def.replace(name, `${table}_${name.replace(/^app_log_/, '')}`).replace(/ ON (ONLY )?(public\.)?app_log /, ` ON ${table} `),
    );
  }
}

async function walBytes<T>(client: pg.Client, fn: () => Promise<T>): Promise<{ seconds: number; walBytes: number; result: T }> {
  await client.query('checkpoint');
  const before = (await client.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
  const started = performance.now();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await client.query<{ bytes: string }>(`select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text as bytes`, [before]);
  return { seconds, walBytes: Number(rows[0]!.bytes), result };
}

/**
 * Retention of `keepDays` out of `logs` logs spread over `days` days, both ways in the same run: the same
 * rows in a table partitioned by day (drop the partitions of the days before the cutoff, as Lumen does
 * now) and in one plain table (the batched DELETE Lumen ran before, 5,000 rows a statement). Each table
 * carries app_log's indexes. Time and WAL bytes written, from a checkpoint.
 */
export async function measureRetention(databaseUrl: string, logs: number, days: number, keepDays: number): Promise<RetentionResult> {
  return withClient(databaseUrl, async (client) => {
    const to = Math.floor(Date.now() / DAY) * DAY;
    const from = new Date(to - days * DAY);
    const cutoff = new Date(to - keepDays * DAY);
    await client.query('drop table if exists ret_part, ret_flat');
    await client.query(
      `create table ret_part (like app_log including defaults including constraints, primary key (id, ts)) partition by range (ts)`,
    );
    for (let day = from.getTime(); day < to; day += DAY) {
      const name = `ret_part_${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
      await client.query(
        `create table ${name} partition of ret_part for values from ('${new Date(day).toISOString()}') to ('${new Date(day + DAY).toISOString()}')`,
      );
    }
    await client.query(`create table ret_flat (like app_log including defaults including constraints, primary key (id))`);
    await copyIndexes(client, 'ret_part');
    await copyIndexes(client, 'ret_flat');
    await client.query(ROWS('ret_part', logs, from, days * DAY));
    await client.query(ROWS('ret_flat', logs, from, days * DAY));
    await client.query('vacuum analyze ret_part, ret_flat');
    const expired = Number((await client.query<{ n: string }>('select count(*) as n from ret_flat where ts < $1', [cutoff])).rows[0]!.n);

    let countSeconds = 0;
    const drop = await walBytes(client, async () => {
      let partitions = 0;
      for (let day = from.getTime(); day + DAY <= cutoff.getTime(); day += DAY) {
        // As Lumen's retention does: count the day's logs (for its log line), then drop the partition.
        const name = `ret_part_${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
        const counting = performance.now();
        await client.query(`select count(*) from ${name}`);
        countSeconds += (performance.now() - counting) / 1000;
        await client.query(`drop table ${name}`);
        partitions++;
      }
      return partitions;
    });
    const del = await walBytes(client, async () => {
      let statements = 0;
      for (;;) {
        const { rowCount } = await client.query(
          `with expired as (select id from ret_flat where ts < $1 order by ts limit 5000) delete from ret_flat l using expired where l.id = expired.id`,
          [cutoff],
        );
        statements++;
        if ((rowCount ?? 0) < 5000) break;
      }
      return statements;
    });
    await client.query('drop table if exists ret_part, ret_flat');
    return {
      logs,
      days,
      keepDays,
      expired,
      drop: { seconds: drop.seconds, countSeconds, walBytes: drop.walBytes, partitions: drop.result },
      delete: { seconds: del.seconds, walBytes: del.walBytes, statements: del.result },
    };
  });
}

/**
 * Rebuilds the loaded app_log as one plain table (same rows, same indexes) and swaps it in under the
 * running server, so the same dashboard can be timed on both layouts in one run; `restore` swaps back.
 */
export async function swapInUnpartitioned(databaseUrl: string): Promise<{ seconds: number; restore: () => Promise<void> }> {
  const started = performance.now();
  await withClient(databaseUrl, async (client) => {
    await client.query('drop table if exists app_log_flat');
    await client.query('create table app_log_flat (like app_log including defaults including constraints)');
    await client.query('insert into app_log_flat select * from app_log');
    await client.query('alter table app_log_flat add primary key (id)');
    await copyIndexes(client, 'app_log_flat');
    await client.query('vacuum analyze app_log_flat');
    await client.query('begin');
    await client.query('alter table app_log rename to app_log_partitioned');
    await client.query('alter table app_log_flat rename to app_log');
    await client.query('commit');
  });
  return {
    seconds: (performance.now() - started) / 1000,
    restore: () =>
      withClient(databaseUrl, async (client) => {
        await client.query('begin');
        await client.query('drop table app_log');
        await client.query('alter table app_log_partitioned rename to app_log');
        await client.query('commit');
      }),
  };
}
