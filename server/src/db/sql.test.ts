import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { entities } from '../app/entities.js';
import { testDatabases } from '../test/databases.js';
import { openDatabase, type Database } from './orm.js';
import { Prepared, Sql } from './sql.js';

const ECHO = new Prepared('sql_test_echo', 'select unnest($1::int[]) * 2 as doubled');

describe.each(testDatabases())('prepared statements on $name', (testDatabase) => {
  let database: Database;
  let drop: () => Promise<void>;
  let sql: Sql;

  beforeAll(async () => {
    const created = await testDatabase.create();
    drop = created.drop;
    database = await openDatabase(created.config, entities, pino({ level: 'silent' }));
    // As the composition root builds it: named statements on PostgreSQL only.
    sql = new Sql(database.orm, { prepare: created.config.kind === 'postgres' });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('parses a hot statement once per connection on PostgreSQL, and runs it unnamed on the embedded database', async () => {
    const named = await sql.withQuery(async (query) => {
      expect(await query<{ doubled: number }>(ECHO, [[1, 2]])).toEqual([{ doubled: 2 }, { doubled: 4 }]);
      // Executed again with other values on the same connection, from the parsed statement.
      expect(await query<{ doubled: number }>(ECHO, [[5]])).toEqual([{ doubled: 10 }]);
      return (await query<{ name: string }>('select name from pg_prepared_statements order by name')).map((row) => row.name);
    });
    expect(named.includes('sql_test_echo')).toBe(testDatabase.name === 'postgres');
  });

  it('refuses two statements of one name', () => {
    expect(() => new Prepared('sql_test_echo', 'select 1')).toThrow(/two prepared statements are named sql_test_echo/);
  });
});
