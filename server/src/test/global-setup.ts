import net from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL that answered at start-up, or null: then only the PGlite half of the integration tests runs. */
    postgresUrl: string | null;
    /** A Redis that answered at start-up, or null: then the tests of shared (multi-replica) state do not run. */
    redisUrl: string | null;
  }
}

/** Finds out once whether real PostgreSQL answers, and says so when it does not. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('redisUrl', await reachableRedis(process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379'));

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

/** Sends PING over a plain socket; the URL when Redis answers PONG, else null (and says so). */
async function reachableRedis(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  const answered = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 2_000 });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('timeout', () => {
      resolve(false);
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
  });
  if (!answered) {
    console.warn(
      `\n  Redis at ${url} did not answer: the tests of state shared through Redis were NOT run.\n  Set TEST_REDIS_URL to run them.\n`,
    );
  }
  return answered ? url : null;
}
