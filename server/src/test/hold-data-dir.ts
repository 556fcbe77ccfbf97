/**
 * Holds the lock of a DATA_DIR until killed, for the tests of locking across processes:
 * `node --import tsx src/test/hold-data-dir.ts <dir>` prints "locked <pid>" once it holds it.
 */
import { acquireDataDirLock } from '../db/data-dir-lock.js';

const dataDir = process.argv[2]!;
try {
  await acquireDataDirLock(dataDir);
  process.stdout.write(`locked ${process.pid}\n`);
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stdout.write(`refused ${(error as Error).name}\n`);
  process.exit(3);
}
