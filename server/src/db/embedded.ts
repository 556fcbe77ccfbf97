import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';

/**
 * PostgreSQL in-process (PGlite), served on a private Unix socket so that the ORM reaches it through
 * the same `pg` driver, SQL and migrations as a real server. PGlite runs one session at a time, so the
 * caller must use a pool of one connection.
 */
export interface EmbeddedPostgres {
  /** Connection settings for the socket: `host` is the socket's directory. */
  connection: { host: string; port: number; user: string; dbName: string };
  /** Writes the database's data directory to `file` (PGlite's dumpDataDir), for startEmbeddedPostgres's `from`. */
  save(file: string): Promise<void>;
  stop(): Promise<void>;
}

// Unix socket paths are limited to ~107 bytes; deep data directories fall back to a short temporary one.
const MAX_SOCKET_PATH = 100;
const SOCKET_PORT = 5432;

/**
 * Starts PGlite on `dataDir`, or in memory when it is null. An in-memory database starts from `from`
 * when given: a data directory written by `save`, loaded in about a fifth of the time an empty one
 * takes to create.
 */
export async function startEmbeddedPostgres(dataDir: string | null, from?: string): Promise<EmbeddedPostgres> {
  if (dataDir && from) throw new Error('a database on a data directory cannot start from a saved one');
  let lock: DataDirLock | undefined;
  let pgDir: string | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    lock = await acquireDataDirLock(dataDir);
    pgDir = path.join(dataDir, 'pg');
  }
  const socketDir = chooseSocketDir(dataDir);
  const socketFile = path.join(socketDir.path, `.s.PGSQL.${SOCKET_PORT}`);
  // A process that was killed leaves its socket file behind; holding the lock, we know it is stale.
  rmSync(socketFile, { force: true });
  // pg_trgm serves the search in prompts and responses (the app_log_content_trgm_index).
  const db = await PGlite.create({
    ...(pgDir ? { dataDir: pgDir } : {}),
    ...(from ? { loadDataDir: new Blob([readFileSync(from)]) } : {}),
    extensions: { pg_trgm },
  });
  const server = new PGLiteSocketServer({ db, path: socketFile, maxConnections: 1 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    lock?.release();
    socketDir.remove();
    throw error;
  }
  return {
    connection: { host: socketDir.path, port: SOCKET_PORT, user: 'postgres', dbName: 'postgres' },
    async save(file) {
      writeFileSync(file, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
    },
    async stop() {
      await server.stop();
      await db.close();
      socketDir.remove();
      lock?.release();
    },
  };
}

function chooseSocketDir(dataDir: string | null): { path: string; remove(): void } {
  if (dataDir && path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`).length <= MAX_SOCKET_PATH) {
    return { path: dataDir, remove: () => rmSync(path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`), { force: true }) };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-pg-'));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
