import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from './private-services.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The built server (server/dist/main.js, as `pnpm start` runs it) in a child process with its own DATA_DIR. */
export interface LumenProcess {
  url: string;
  adminKey: string;
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and waits for the exit; kills it and throws when it does not stop in time. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export async function startLumenProcess(env: Record<string, string> = {}): Promise<LumenProcess> {
  const main = path.join(root, 'server/dist/main.js');
  if (!existsSync(main) || !existsSync(path.join(root, 'web/dist/index.html'))) {
    throw new Error('The server and web app are not built: run `pnpm build` (pnpm test does it for you).');
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-'));
  const port = await freePort();
  const adminKey = `lmn_e2e_admin_${port}_${Date.now()}`;
  let output = '';
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LUMEN_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Lumen exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Lumen did not become healthy:\n${output}`);
    }
    const healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    adminKey,
    child,
    output: () => output,
    async stop(timeoutMs = 20_000) {
      if (child.exitCode === null) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      ]);
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`Lumen did not stop within ${timeoutMs} ms of SIGTERM:\n${output}`);
      }
      return code;
    },
  };
}
