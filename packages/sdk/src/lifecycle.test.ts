import { spawn } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@lumen/testkit';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

import { Lumen } from './client.js';
import type { LumenError } from './errors.js';
import type { LumenOptions } from './options.js';
import { entry } from './test/entries.js';
import { createIngestKey, eventually, storedLogs, uniqueAppId } from './test/lumen-api.js';
import { startScriptedProxy, type ProxyStep, type ScriptedProxy } from './test/scripted-proxy.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOUR = 3_600_000;
const unavailable: ProxyStep = {
  reply: 503,
  body: { errors: [{ message: 'The database is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
};

/** A server that accepts connections and reads requests but never answers them. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const waiting: ServerResponse[] = [];
  const server: Server = createServer((_request, response) => void waiting.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const response of waiting) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs, as an integrator's script would, the built package: 30 logs in 3 batches, then
 * `await lumen.shutdown({ timeoutMs: 2000 })`, and returns. Measures how long the process lived after
 * shutdown() began, and what it reported.
 */
async function runShutdownScript(endpoint: string): Promise<{ exitCode: number | null; livedMs: number; report: ShutdownReport }> {
  const source = `import { Lumen } from '@lumen/sdk';
    const kinds = [];
    const lumen = new Lumen({ apiKey: 'lmn_test', endpoint: ${JSON.stringify(endpoint)}, appId: 'lifecycle', logger: null,
      batchSize: 10, flushIntervalMs: 20, onError: (error) => kinds.push(error.kind) });
    for (let i = 0; i < 30; i++) lumen.log({ provider: 'openai', model: 'gpt-4o' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.log('shutdown');
    const settled = await lumen.shutdown({ timeoutMs: 2000 });
    console.log(JSON.stringify({ settled, stats: lumen.stats(), kinds }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let shutdownAt = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    if (!shutdownAt && output.includes('shutdown')) shutdownAt = performance.now();
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const livedMs = performance.now() - shutdownAt;
  const last = output.trim().split('\n').at(-1) ?? '';
  return { exitCode, livedMs, report: JSON.parse(last) as ShutdownReport };
}

interface ShutdownReport {
  settled: boolean;
  stats: { queued: number; dropped: number; sent: number; failed: number };
  kinds: string[];
}

describe('Lumen lifecycle', () => {
  let apiKey: string;
  let proxy: ScriptedProxy | undefined;
  let sut: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
  });
  afterEach(async () => {
    await sut?.shutdown({ timeoutMs: 1_000 });
    await proxy?.close();
    sut = undefined;
    proxy = undefined;
  });

  async function behind(script: ProxyStep[], appId: string, options: LumenOptions = {}) {
    proxy = await startScriptedProxy(inject('lumenUrl'), script);
    const errors: LumenError[] = [];
    sut = new Lumen({
      apiKey,
      endpoint: proxy.url,
      appId,
      flushIntervalMs: HOUR,
      backoffBaseMs: 1,
      backoffCapMs: 5,
      logger: null,
      onError: (error) => errors.push(error),
      ...options,
    });
    return { sut, proxy, errors };
  }

  it('lets a script end soon after shutdown({ timeoutMs }) when Lumen is down, and reports what it dropped', async () => {
    const run = await runShutdownScript(`http://127.0.0.1:${await freePort()}`);

    expect(run.exitCode).toBe(0);
    expect(run.report).toEqual({
      settled: false,
      stats: expect.objectContaining({ queued: 0, sent: 0, dropped: 30, failed: 0 }),
      kinds: ['shutdown_timeout', 'shutdown_timeout'],
    });
    // 2 s of deadline; the bound is generous for a loaded machine, far below the 20 s it took before.
    expect(run.livedMs).toBeLessThan(6_000);
  });

  it('lets a script end soon after shutdown({ timeoutMs }) when Lumen accepts connections and never answers', async () => {
    const silent = await startSilentServer();
    try {
      const run = await runShutdownScript(silent.url);

      expect(run.exitCode).toBe(0);
      expect(run.report).toEqual({
        settled: false,
        stats: expect.objectContaining({ queued: 0, sent: 0, dropped: 30, failed: 0 }),
        kinds: ['shutdown_timeout', 'shutdown_timeout'],
      });
      expect(run.livedMs).toBeLessThan(6_000);
    } finally {
      await silent.close();
    }
  });

  it('spends one retry budget per flush, not per batch, and gives the rest up without more requests', async () => {
    const appId = uniqueAppId('budget');
    const { sut, proxy, errors } = await behind(Array(20).fill(unavailable), appId, { batchSize: 2, maxRetries: 3 });

    const eventIds = Array.from({ length: 6 }, () => sut.log(entry()));
    await expect(sut.flush()).resolves.toBe(true);

    expect(proxy.requests).toHaveLength(4);
    expect(sut.stats()).toMatchObject({ queued: 0, sent: 0, failed: 6, retries: 3 });
    expect(errors.map((error) => [error.kind, error.attempts, error.eventIds])).toEqual([
      ['request_failed', 4, eventIds.slice(0, 2)],
      ['request_failed', 0, eventIds.slice(2, 4)],
      ['request_failed', 0, eventIds.slice(4, 6)],
    ]);
  });

  it('cuts the request in flight at the deadline of flush({ timeoutMs }) and sends it again in the background', async () => {
    const appId = uniqueAppId('flush-deadline');
    const { sut, proxy } = await behind(['hang'], appId, { requestTimeoutMs: 10 * 60_000 });

    const eventId = sut.log(entry());
    await expect(sut.flush({ timeoutMs: 300 })).resolves.toBe(false);

    // Had the first request not been cut, the second would wait for its ten-minute timeout.
    await eventually(async () => expect((await storedLogs(appId)).map((log) => log.eventId)).toEqual([eventId]));
    expect(proxy.requests.map((request) => request.eventIds)).toEqual([[eventId], [eventId]]);
    expect(sut.stats()).toMatchObject({ queued: 0, sent: 1, dropped: 0, failed: 0 });
  });

  it('bounds shutdown() by shutdownTimeoutMs, dropping and reporting the logs, spans and feedback not sent', async () => {
    const appId = uniqueAppId('shutdown-default');
    const { sut, errors } = await behind(Array(10).fill('hang'), appId, { shutdownTimeoutMs: 300, batchSize: 2 });

    const eventIds = Array.from({ length: 5 }, () => sut.log(entry()));
    const feedback = sut.feedback({ logEventId: eventIds[0], rating: 'NEGATIVE' });
    await sut.observe({ name: 'step', kind: 'TOOL' }, () => 'done');
    const settled = await sut.shutdown();

    expect(settled).toBe(false);
    await expect(feedback).resolves.toBeNull();
    expect(sut.stats()).toMatchObject({ queued: 0, sent: 0, dropped: 5, failed: 0, feedbackFailed: 1, spansQueued: 0, spansDropped: 1 });
    expect(errors.map((error) => [error.kind, error.operation]).sort()).toEqual([
      ['shutdown_timeout', 'exportSpans'],
      ['shutdown_timeout', 'ingestLogs'],
      ['shutdown_timeout', 'ingestLogs'],
      ['shutdown_timeout', 'submitFeedback'],
    ]);
    expect(errors.flatMap((error) => (error.operation === 'ingestLogs' ? error.eventIds : [])).sort()).toEqual([...eventIds].sort());
    await expect(sut.shutdown()).resolves.toBe(false);
  });
});
