import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';

import { entities } from '../app/entities.js';
import type { DatabaseConfig } from '../config.js';
import { openDatabase, type Database } from '../db/orm.js';

/** A database an integration test runs against: created fresh for the test file, dropped after. */
export interface TestDatabase {
  name: 'pglite' | 'postgres';
  create(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

/** In memory, started from the migrated database the global setup saved. */
function pglite(template: string): TestDatabase {
  return {
    name: 'pglite',
    async create() {
      return { config: { kind: 'embedded', dataDir: null, from: template }, drop: async () => undefined };
    },
  };
}

/** A database of its own on the server, created from the migrated template the global setup made. */
function postgres(adminUrl: string, template: string): TestDatabase {
  return {
    name: 'postgres',
    async create() {
      const dbName = `lumen_test_${randomBytes(6).toString('hex')}`;
      await withAdmin(adminUrl, (client) => client.query(`create database ${dbName} template ${template}`));
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      return {
        config: { kind: 'postgres', url: url.toString(), poolSize: 5, dataDir: null },
        drop: () => withAdmin(adminUrl, (client) => client.query(`drop database if exists ${dbName} with (force)`)).then(() => undefined),
      };
    },
  };
}

/** Runs `fn` on a client of its own to `url`, closed after; a server that does not answer fails it within 3 s. */
export async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** PGlite always; real PostgreSQL when it answered in the global setup. */
export function testDatabases(): TestDatabase[] {
  const url = inject('postgresUrl');
  const template = inject('postgresTemplate');
  const embedded = pglite(inject('embeddedTemplate'));
  return url && template ? [embedded, postgres(url, template)] : [embedded];
}

/**
 * A fresh database for the enclosing describe block, opened (and so migrated) as the server opens it,
 * without a server: closed and dropped after the block. Returns a getter, valid from the block's tests on.
 */
export function useOpenDatabase(testDatabase: TestDatabase): () => Database {
  let database: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await testDatabase.create();
    drop = created.drop;
    database = await openDatabase(created.config, entities, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });
  return () => {
    if (!database) throw new Error('the test database is not open yet (read before beforeAll)');
    return database;
  };
}

/** Reverts the migrations down to `name`, that one included: the database as it was before it. */
export async function revertMigrationsTo(database: Database, name: string): Promise<void> {
  const migrator = database.orm.getMigrator();
  await migrator.down({ to: name });
  if ((await migrator.getExecutedMigrations()).some((migration) => migration.name === name)) {
    throw new Error(`${name} is still applied`);
  }
}
