import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL that answered at start-up, or null: then only the PGlite half of the integration tests runs. */
    postgresUrl: string | null;
  }
}

/** Finds out once whether real PostgreSQL answers, and says so when it does not. */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresUrl', url);
  } catch (error) {
    console.warn(
      `\n  PostgreSQL at ${redact(url)} did not answer (${(error as Error).message}).\n` +
        '  The PostgreSQL half of the integration tests was NOT run; only the embedded PGlite half ran.\n' +
        '  Set TEST_DATABASE_URL to a PostgreSQL you can create databases on to run both.\n',
    );
    project.provide('postgresUrl', null);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
