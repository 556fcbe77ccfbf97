import type { Logger } from 'pino';

import type { Sql, SqlQuery } from '../db/sql.js';
import { PeriodicJob } from '../jobs/periodic-job.js';

const DAY_MS = 24 * 3600 * 1000;
/** Days after today that always have their partition, so a stopped job still leaves days of margin. */
export const DAYS_AHEAD = 3;
const INTERVAL_MS = 60 * 60 * 1000;
/** Days of the default partition moved into their own partitions per run (each in its own transaction). */
const MOVES_PER_RUN = 31;
// Partition creation and drops are serialised across replicas; no other Lumen lock uses this key.
const PARTITION_LOCK = 0x4c4d_4e50_4152n; // "LMNPAR"

/** A table partitioned by range of a time column, one partition per UTC day plus `<table>_default`. */
export interface DayPartitioned {
  table: 'app_log' | 'span';
  column: string;
}

/** Logs by their timestamp. */
export const LOG_PARTITIONS: DayPartitioned = { table: 'app_log', column: 'ts' };
/** Spans by their start: a span's start never changes, so an exporter's retry lands in the same partition. */
export const SPAN_PARTITIONS: DayPartitioned = { table: 'span', column: 'start_time' };
/** Every day-partitioned table, as the partition job and retention keep them. */
export const DAY_PARTITIONED = [LOG_PARTITIONS, SPAN_PARTITIONS] as const;

/** The UTC day (midnight) a time falls in. */
export function dayOf(time: Date): Date {
  return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
}

/** app_log_pYYYYMMDD (span_pYYYYMMDD): the partition holding the rows of that UTC day. */
export function partitionName(day: Date, of: DayPartitioned = LOG_PARTITIONS): string {
  return `${of.table}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function dayOfName(name: string, of: DayPartitioned): Date | null {
  const match = new RegExp(`^${of.table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  return match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : null;
}

/** The days that have their own partition, oldest first. */
export async function partitionDays(query: SqlQuery, of: DayPartitioned = LOG_PARTITIONS): Promise<Date[]> {
  const rows = await query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = '${of.table}'::regclass`,
  );
  return rows
    .map((row) => dayOfName(row.name, of))
    .filter((day): day is Date => day !== null)
    .sort((a, b) => a.getTime() - b.getTime());
}

/**
 * Gives one UTC day its partition, in one transaction: a table shaped like app_log, the day's rows moved
 * into it from app_log_default (a log sent for a past day without a partition lands there), then
 * attached, which builds its indexes. Writes to the table wait meanwhile (reads go on): a write let in
 * before the ATTACH would route its row by the partitions it saw then, to the default partition, and
 * fail there once the day has its own ("violates partition constraint"). Held off, it routes the row
 * to the new partition. On a day with nothing in the default partition (the days created ahead) the
 * wait is a few milliseconds.
 */
async function createPartition(sql: Sql, day: Date, of: DayPartitioned): Promise<boolean> {
  const name = partitionName(day, of);
  const { table, column } = of;
  const from = day.toISOString();
  const to = new Date(day.getTime() + DAY_MS).toISOString();
  return sql.transaction(async (query) => {
    await query('select pg_advisory_xact_lock($1::bigint)', [PARTITION_LOCK.toString()]);
    const [exists] = await query<{ present: boolean }>('select to_regclass($1) is not null as present', [name]);
    if (exists!.present) return false;
    // No row may be written until the partition is attached: not to the default partition between the
    // move and the attach (which checks it holds none of the day), nor anywhere by a stale routing.
    await query(`lock table ${table} in share row exclusive mode`);
    await query(`lock table ${table}_default in exclusive mode`);
    await query(`create table "${name}" (like ${table} including defaults including constraints)`);
    await query(
      `with moved as (delete from ${table}_default where ${column} >= $1 and ${column} < $2 returning *) insert into "${name}" select * from moved`,
      [from, to],
    );
    await query(`alter table ${table} attach partition "${name}" for values from ('${from}') to ('${to}')`);
    return true;
  });
}

/**
 * Makes sure every day from `from` to `to` (inclusive, UTC) has its partition, in every day-partitioned
 * table (or only `of`); returns how many were created.
 */
export async function ensurePartitions(sql: Sql, from: Date, to: Date, of: readonly DayPartitioned[] = DAY_PARTITIONED): Promise<number> {
  let created = 0;
  for (const table of of) {
    const existing = new Set((await sql.withQuery((query) => partitionDays(query, table))).map((day) => day.getTime()));
    for (let day = dayOf(from); day.getTime() <= dayOf(to).getTime(); day = new Date(day.getTime() + DAY_MS)) {
      if (!existing.has(day.getTime()) && (await createPartition(sql, day, table))) created++;
    }
  }
  return created;
}

/**
 * The partitions the server keeps: yesterday to DAYS_AHEAD days ahead, and a partition of its own for
 * each day found in app_log_default (oldest first, MOVES_PER_RUN per run), so the default partition
 * only holds logs between their arrival and the next run.
 */
export async function maintainPartitions(sql: Sql, now = new Date()): Promise<number> {
  let created = await ensurePartitions(sql, new Date(now.getTime() - DAY_MS), new Date(now.getTime() + DAYS_AHEAD * DAY_MS));
  for (const of of DAY_PARTITIONED) {
    const stray = await sql.query<{ day: Date }>(
      `select distinct date_trunc('day', ${of.column} at time zone 'UTC') at time zone 'UTC' as day from ${of.table}_default order by day limit ${MOVES_PER_RUN}`,
    );
    for (const { day } of stray) if (await createPartition(sql, day, of)) created++;
  }
  return created;
}

/**
 * Retention by whole days: drops the partitions of days that ended before `before` (each DROP is a
 * quick catalog change, whatever the day's size, and writes almost no WAL). With `count`, also returns
 * how many rows they held, counted before each drop (which reads the day); otherwise `rows` is null.
 */
export async function dropPartitionsBefore(
  sql: Sql,
  before: Date,
  of: DayPartitioned,
  { count }: { count: boolean },
): Promise<{ partitions: number; rows: number | null }> {
  let partitions = 0;
  let rows = 0;
  for (const day of await sql.withQuery((query) => partitionDays(query, of))) {
    if (day.getTime() + DAY_MS > before.getTime()) break;
    const dropped = await sql.transaction(async (query) => {
      await query('select pg_advisory_xact_lock($1::bigint)', [PARTITION_LOCK.toString()]);
      const name = partitionName(day, of);
      const [exists] = await query<{ present: boolean }>('select to_regclass($1) is not null as present', [name]);
      if (!exists!.present) return null;
      const [counted] = count ? await query<{ n: string }>(`select count(*) as n from "${name}"`) : [];
      await query(`drop table "${name}"`);
      return counted ? Number(counted.n) : 0;
    });
    if (dropped !== null) {
      partitions++;
      rows += dropped;
    }
  }
  return { partitions, rows: count ? rows : null };
}

export function partitionJob(sql: Sql, log: Logger): PeriodicJob {
  return new PeriodicJob(
    'partitions',
    INTERVAL_MS,
    async () => {
      const created = await maintainPartitions(sql);
      if (created > 0) log.info({ created }, 'day partitions of logs and spans created');
    },
    log,
  );
}
