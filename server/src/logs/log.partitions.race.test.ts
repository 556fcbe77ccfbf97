import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { entities } from '../app/entities.js';
import { openDatabase, type Database } from '../db/orm.js';
import { Sql } from '../db/sql.js';
import { testDatabases } from '../test/databases.js';
import { spanRecord } from '../test/factories.js';
import { SpanIngestService } from '../traces/span.ingest.js';
import { ensurePartitions, partitionName, SPAN_PARTITIONS } from './log.partitions.js';

// Only real PostgreSQL runs a partition's creation beside ingestion; PGlite's one connection serialises them.
const concurrentDatabases = testDatabases().filter((database) => database.name === 'postgres');

const stray = new Date('2004-03-02T10:00:00Z');

const span = (spanId: string) =>
  spanRecord({ traceId: 'f0'.repeat(16), spanId, name: 'late', startTime: stray, durationMs: 10, appId: 'race' });

describe.each(concurrentDatabases)('a day partition created while spans of that day arrive, on $name', (testDatabase) => {
  let database: Database;
  let drop: () => Promise<void>;
  let url: string;
  let sql: Sql;

  beforeAll(async () => {
    const created = await testDatabase.create();
    drop = created.drop;
    url = (created.config as { url: string }).url;
    database = await openDatabase(created.config, entities, pino({ level: 'silent' }));
    sql = new Sql(database.orm, { prepare: true, copy: true });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  const waiting = async () =>
    Number(
      (
        await sql.query<{ n: string }>(
          `select count(*) as n from pg_locks where locktype = 'relation' and not granted and database = (select oid from pg_database where datname = current_database())`,
        )
      )[0]!.n,
    );
  const until = async (condition: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('the sessions never reached the expected locks');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('stores a span of the day that waited for the partition in that partition, never failing it', async () => {
    const spans = new SpanIngestService(sql, { redact: null, storeContent: true, contentMaxBytes: 65_536 });
    // A span of a day without a partition waits in span_default for the partition job.
    await spans.store([span('f000000000000001')]);
    // Another session holds the lock ATTACH PARTITION needs, so the creation stops on its way.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table span in share update exclusive mode');
      const creating = ensurePartitions(sql, stray, stray, [SPAN_PARTITIONS]);
      await until(async () => (await waiting()) >= 1);
      // A span of the same day arrives meanwhile; it must wait for the partition, not be routed by a stale view.
      const storing = spans.store([span('f000000000000002')]).then(
        () => null,
        (error: unknown) => error,
      );
      await until(async () => (await waiting()) >= 2);
      await holder.query('commit');
      expect(await creating).toBe(1);
      expect(await storing).toBeNull();
    } finally {
      await holder.end();
    }
    expect(await sql.query(`select span_id from ${partitionName(stray, SPAN_PARTITIONS)} order by span_id`)).toEqual([
      { span_id: 'f000000000000001' },
      { span_id: 'f000000000000002' },
    ]);
    expect(await sql.query('select span_id from span_default')).toEqual([]);
    expect(await sql.query(`select span_count from trace_summary where trace_id = $1`, ['f0'.repeat(16)])).toEqual([{ span_count: 2 }]);
  });
});
