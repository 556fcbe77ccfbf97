import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

import type { DatabaseConfig } from '../config.js';

/** A database an integration test runs against: created fresh for the test file, dropped after. */
export interface TestDatabase {
  name: 'pglite' | 'postgres';
  create(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

const pglite: TestDatabase = {
  name: 'pglite',
  async create() {
    return { config: { kind: 'embedded', dataDir: null }, drop: async () => undefined };
  },
};

function postgres(adminUrl: string): TestDatabase {
  return {
    name: 'postgres',
    async create() {
      const dbName = `lumen_test_${randomBytes(6).toString('hex')}`;
      await withAdmin(adminUrl, (client) => client.query(`create database ${dbName}`));
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      return {
        config: { kind: 'postgres', url: url.toString(), poolSize: 5, dataDir: null },
        drop: () => withAdmin(adminUrl, (client) => client.query(`drop database if exists ${dbName} with (force)`)).then(() => undefined),
      };
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
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
  return url ? [pglite, postgres(url)] : [pglite];
}
