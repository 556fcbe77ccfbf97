import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';
import { DataDirLockedError } from './data-dir-lock.js';
import { startEmbeddedPostgres } from './embedded.js';

describe('embedded database (PGlite under DATA_DIR)', () => {
  const dirs: string[] = [];
  const running: TestLumen[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-embedded-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string) => {
    const lumen = await startTestLumen({ kind: 'embedded', dataDir }, { adminKey: undefined });
    running.push(lumen);
    return lumen;
  };

  afterEach(async () => {
    for (const lumen of running.splice(0)) await lumen.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('generates an admin key on a first run, keeps it under DATA_DIR, and keeps data across a restart', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const generated = first.lumen.generatedAdminKey!;
    expect(generated).toMatch(/^lmn_/);
    expect(readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim()).toBe(generated);
    const log = logInput({ appId: 'restart' });
    const ingested = await first.gql<IngestPayload>(INGEST_LOGS, { logs: [log] }, generated);
    expect(ingested.data!.ingestLogs.accepted).toBe(1);
    await first.stop();
    running.length = 0;

    const second = await start(dataDir);
    expect(second.lumen.generatedAdminKey).toBeUndefined();
    const read = await second.gql<{ logs: { nodes: { eventId: string }[] } }>(
      '{ logs(filter: { appId: "restart" }) { nodes { eventId } } }',
      {},
      generated,
    );
    expect(read.data!.logs.nodes).toEqual([{ eventId: log.eventId }]);
  });

  it('does not generate a key when LUMEN_ADMIN_KEY is set', async () => {
    const dataDir = tempDir();
    const lumen = await startTestLumen({ kind: 'embedded', dataDir });
    running.push(lumen);
    expect(lumen.lumen.generatedAdminKey).toBeUndefined();
    expect(existsSync(path.join(dataDir, 'admin-key'))).toBe(false);
    expect((await lumen.gql('{ apiKeys { id } }')).data).toBeTruthy();
  });

  it('refuses to open a DATA_DIR another running process holds', async () => {
    const dataDir = tempDir();
    const holder = holdDataDir(dataDir);
    try {
      expect(await holder.outcome).toMatch(/^locked/);
      await expect(startEmbeddedPostgres(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      holder.kill();
    }
  });

  it('restarts after a kill -9 as pid 1 in a fresh pid namespace, as a container restart does', async () => {
    const dataDir = tempDir();
    const first = holdDataDir(dataDir, { pidNamespace: true });
    expect(await first.outcome).toBe('locked 1');
    first.kill();
    await first.exited;
    const second = holdDataDir(dataDir, { pidNamespace: true });
    try {
      expect(await second.outcome).toBe('locked 1');
      // The new owner is alive: the lock is not stale to anyone else.
      await expect(startEmbeddedPostgres(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      second.kill();
    }
  });

  it('refuses to open the same DATA_DIR twice in one process', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedPostgres(dataDir);
    try {
      await expect(startEmbeddedPostgres(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await first.stop();
    }
  });

  it('takes over a lock left by a process that is gone, and an older pid lock file', async () => {
    const dataDir = tempDir();
    const gone = holdDataDir(dataDir);
    expect(await gone.outcome).toMatch(/^locked/);
    gone.kill();
    await gone.exited;
    expect(existsSync(path.join(dataDir, 'lumen.lock'))).toBe(true);
    await (await startEmbeddedPostgres(dataDir)).stop();
    writeFileSync(path.join(dataDir, 'lumen.lock'), '1');
    const db = await startEmbeddedPostgres(dataDir);
    await db.stop();
    expect(existsSync(path.join(dataDir, 'lumen.lock'))).toBe(false);
  });
});

describe('embedded database in memory, started from a saved one', () => {
  it('holds what the saved database held, and keeps its own writes to itself', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-embedded-save-'));
    const file = path.join(dir, 'saved.tar');
    const query = async (db: Awaited<ReturnType<typeof startEmbeddedPostgres>>, sql: string) => {
      const client = new pg.Client(db.connection);
      await client.connect();
      try {
        return (await client.query<{ v: string }>(sql)).rows.map((row) => row.v);
      } finally {
        await client.end();
      }
    };
    // Every database started here is stopped, even when an assertion fails, so none outlives the test.
    const started: Awaited<ReturnType<typeof startEmbeddedPostgres>>[] = [];
    const start = async (from?: string) => {
      const db = await startEmbeddedPostgres(null, from);
      started.push(db);
      return db;
    };
    try {
      const original = await start();
      await query(original, 'create table kept (v text)');
      await query(original, "insert into kept values ('saved row')");
      await original.save(file);
      await query(original, "insert into kept values ('after the save')");

      const first = await start(file);
      const second = await start(file);
      await query(first, "insert into kept values ('first copy only')");
      expect(await query(first, 'select v from kept order by v')).toEqual(['first copy only', 'saved row']);
      expect(await query(second, 'select v from kept order by v')).toEqual(['saved row']);
    } finally {
      await Promise.all(started.map((db) => db.stop()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a saved database for a data directory', async () => {
    await expect(startEmbeddedPostgres(os.tmpdir(), '/nonexistent.tar')).rejects.toThrow(/cannot start from a saved one/);
  });
});

const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A separate process holding the DATA_DIR lock (src/test/hold-data-dir.ts); with `pidNamespace` it
 * runs as pid 1 of a new pid namespace (unshare, as root), as Lumen does in a container.
 * `outcome` is its first line ("locked <pid>" or "refused …"); `kill` sends SIGKILL to the whole group.
 */
function holdDataDir(dataDir: string, options: { pidNamespace?: boolean } = {}) {
  const command = [process.execPath, '--import', 'tsx', 'src/test/hold-data-dir.ts', dataDir];
  const [file, ...args] = options.pidNamespace ? ['unshare', '--pid', '--fork', '--mount-proc', ...command] : command;
  const child = spawn(file!, args, { cwd: SERVER_DIR, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const outcome = new Promise<string>((resolve) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.split('\n')[0]!);
    });
    void exited.then(() => resolve(output.trim() || 'exited'));
  });
  return { outcome, exited, kill: () => process.kill(-child.pid!, 'SIGKILL') };
}
