import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';

import { deferred } from './test/deferred.js';
import { createIngestKey, storedLogs, uniqueAppId } from './test/lumen-api.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a script as an application would, importing the built package by its name. */
function runModule(source: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the built @lumen/sdk package', () => {
  let apiKey: string;

  beforeAll(async () => {
    if (!existsSync(path.join(packageDir, 'dist/index.js')))
      throw new Error('The SDK is not built: run `pnpm build` (pnpm test does it for you).');
    apiKey = await createIngestKey();
  });

  it('loads with require and with import, with its type declarations beside', () => {
    const required = spawnSync(
      process.execPath,
      ['-e', "const sdk = require('@lumen/sdk'); console.log(typeof sdk.Lumen, typeof sdk.LumenError)"],
      { cwd: packageDir, encoding: 'utf8' },
    );
    const imported = runModule("import { Lumen, LumenError } from '@lumen/sdk'; console.log(typeof Lumen, typeof LumenError)");

    expect(required.stdout.trim()).toBe('function function');
    expect(imported.stdout.trim()).toBe('function function');
    expect(existsSync(path.join(packageDir, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(path.join(packageDir, 'dist/index.d.cts'))).toBe(true);
  });

  it('does not hold a process open that ends without flushing', () => {
    const run = runModule(
      `import { Lumen } from '@lumen/sdk';
       const lumen = new Lumen({ flushIntervalMs: 3_600_000, logger: null });
       lumen.log({ appId: 'never-sent', provider: 'openai', model: 'gpt-4o' });
       console.log('queued', lumen.stats().queued);`,
      { LUMEN_API_KEY: apiKey, LUMEN_ENDPOINT: inject('lumenUrl') },
    );

    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('queued 1');
  });

  it('stores what is queued when the process is stopped with SIGTERM, as the README shows', async () => {
    const appId = uniqueAppId('sigterm');
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { Lumen } from '@lumen/sdk';
         const lumen = new Lumen({ appId: '${appId}', flushIntervalMs: 3_600_000 });
         process.once('SIGTERM', async () => {
           await lumen.shutdown({ timeoutMs: 10_000 });
           process.exit(0);
         });
         for (let i = 0; i < 3; i++) lumen.log({ provider: 'openai', model: 'gpt-4o', inputTokens: i });
         setInterval(() => undefined, 1_000);
         console.log('ready');`,
      ],
      {
        cwd: packageDir,
        env: { ...process.env, LUMEN_API_KEY: apiKey, LUMEN_ENDPOINT: inject('lumenUrl') },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const ready = deferred();
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready.resolve());
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await ready.promise;
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect(await storedLogs(appId)).toHaveLength(3);
  });
});
