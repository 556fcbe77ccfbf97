import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
    const read = await second.gql<{ logs: { nodes: { eventId: string }[] } }>('{ logs(filter: { appId: "restart" }) { nodes { eventId } } }', {}, generated);
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
    writeFileSync(path.join(dataDir, 'lumen.lock'), String(process.ppid));
    await expect(startEmbeddedPostgres(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
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

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'lumen.lock'), '2147483646');
    const db = await startEmbeddedPostgres(dataDir);
    await db.stop();
    expect(existsSync(path.join(dataDir, 'lumen.lock'))).toBe(false);
  });
});
