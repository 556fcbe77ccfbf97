import { type MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { entities } from '../app/entities.js';
import { testDatabases } from '../test/databases.js';
import { openDatabase, type Database } from './orm.js';

describe.each(testDatabases())('migrations on $name', (testDatabase) => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await testDatabase.create();
    drop = created.drop;
    database = await openDatabase(created.config, entities, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('build exactly the schema the entities describe (a new migration would be empty)', async () => {
    const orm: MikroORM = database.orm;
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('are recorded, so a second start applies nothing', async () => {
    expect(await database.orm.getMigrator().getPendingMigrations()).toEqual([]);
    expect((await database.orm.getMigrator().getExecutedMigrations()).length).toBeGreaterThan(0);
  });
});
