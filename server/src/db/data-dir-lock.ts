import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * Two processes opening the same embedded database would corrupt it, so DATA_DIR holds a lock: a Unix
 * socket that the owner listens on. The operating system closes it when the owner dies, however it
 * dies, so a lock left behind is known stale because nothing answers on it; no pid is compared (a
 * restarted container's Lumen is pid 1 again, as its predecessor was). Node offers no flock(); a
 * listening socket gives the same release-on-death without a native module.
 */
export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(dataDir: string) {
    super(`DATA_DIR ${dataDir} is in use by another running Lumen process; stop it or choose another DATA_DIR`);
    this.name = 'DataDirLockedError';
  }
}

// Unix socket paths are limited to about 107 bytes.
const MAX_SOCKET_PATH = 100;
const PROBE_TIMEOUT_MS = 2_000;

// Locks this process holds: its own socket would answer and look like another owner.
const held = new Set<string>();

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const file = path.join(dataDir, 'lumen.lock');
  if (held.has(file)) throw new DataDirLockedError(dataDir);
  // A deep DATA_DIR gets a Linux abstract socket named after it, which has no file to go stale.
  const abstract = file.length > MAX_SOCKET_PATH;
  const address = abstract ? `\0lumen-lock-${createHash('sha256').update(path.resolve(file)).digest('hex')}` : file;
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = net.createServer((socket) => socket.destroy());
    try {
      await listen(server, address);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (abstract || (await answers(address))) throw new DataDirLockedError(dataDir);
      // Left by a process that is gone (or an older Lumen's pid file): take it over.
      rmSync(file, { force: true });
      continue;
    }
    server.unref();
    held.add(file);
    return {
      release() {
        held.delete(file);
        server.close();
        if (!abstract) rmSync(file, { force: true });
      },
    };
  }
  throw new Error(`could not lock DATA_DIR ${dataDir}`);
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Whether a process listens on the lock; one that does not answer in time counts as alive. */
function answers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(!['ECONNREFUSED', 'ENOENT', 'ENOTSOCK'].includes(error.code ?? '')));
  });
}
