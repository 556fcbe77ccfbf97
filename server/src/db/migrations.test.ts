import { type MikroORM } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';

import { testDatabases, useOpenDatabase } from '../test/databases.js';

describe.each(testDatabases())('migrations on $name', (testDatabase) => {
  const open = useOpenDatabase(testDatabase);

  it('build exactly the schema the entities describe (a new migration would be empty)', async () => {
    const orm: MikroORM = open().orm;
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('are recorded, so a second start applies nothing', async () => {
    expect(await open().orm.getMigrator().getPendingMigrations()).toEqual([]);
    expect((await open().orm.getMigrator().getExecutedMigrations()).length).toBeGreaterThan(0);
  });
});
