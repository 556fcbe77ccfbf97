import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@lumen/testkit';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchServer {
  url: string;
  pid: number;
  adminKey: string;
  /** Resident memory now, in MB (VmRSS). */
  rssMb(): number;
  stop(): Promise<void>;
}

export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * Starts the built server (server/dist) against the database, as `pnpm start` would, and waits for
 * /healthz. `databaseUrl: null` runs it on the embedded database (PGlite) in a fresh data directory.
 */
export async function startServer(
  databaseUrl: string | null,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  const port = await freePort();
  const adminKey = `lmn_bench_admin_${Date.now()}`;
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const dataDir = databaseUrl === null ? mkdtempSync(path.join(tmpdir(), 'lumen-bench-')) : null;
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'server/dist/main.js')], {
    cwd: ROOT,
    env: {
      ...inherited,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...(databaseUrl === null ? { DATA_DIR: dataDir! } : { DATABASE_URL: databaseUrl }),
      LUMEN_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      // The benchmark measures capacity: per-key rate limits (on by default) are turned off.
      RATE_LIMIT_INGEST_PER_SECOND: '0',
      RATE_LIMIT_READ_PER_SECOND: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`[bench] the server exited unexpectedly (code ${code}, signal ${signal})`);
      resolve();
    }),
  );
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error('the server exited while starting');
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error('the server did not answer /healthz within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    adminKey,
    rssMb: () => memoryMb(child.pid!),
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      await exited;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A GraphQL call over HTTP; throws on errors. */
export async function gql<T>(url: string, key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}
