import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';

import { Lumen } from './client.js';
import type { LumenError } from './errors.js';
import type { LumenOptions } from './options.js';
import { entry } from './test/entries.js';
import { createIngestKey, eventually, storedLogs, uniqueAppId } from './test/lumen-api.js';
import { recordingFetch } from './test/recording-fetch.js';
import { startScriptedProxy, type ProxyStep, type ScriptedProxy } from './test/scripted-proxy.js';

const HOUR = 3_600_000;
const unavailable: ProxyStep = {
  reply: 503,
  headers: { 'retry-after': '0' },
  body: { errors: [{ message: 'The database is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
};
const tooMany: ProxyStep = {
  reply: 429,
  headers: { 'retry-after': '0' },
  body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED', retryAfter: 0 } }] },
};

/** Lets the promise callbacks that a timer started run to their next real wait (setImmediate is not faked). */
const afterPendingCallbacks = () => new Promise((resolve) => setImmediate(resolve));

describe('Lumen retries', () => {
  let apiKey: string;
  let proxy: ScriptedProxy | undefined;
  let sut: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
  });
  afterEach(async () => {
    vi.useRealTimers();
    // Bounded: a failed test may leave a retry waiting on a fake timer that never fires.
    await sut?.shutdown({ timeoutMs: 5_000 });
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

  it('retries 503 and 429 answers until the server recovers, sending the same eventIds each time', async () => {
    const appId = uniqueAppId('recover');
    const { sut, proxy, errors } = await behind([unavailable, tooMany], appId);

    const eventIds = [sut.log(entry()), sut.log(entry()), sut.log(entry())];
    await sut.flush();

    expect(proxy.requests.map((request) => request.eventIds)).toEqual([eventIds, eventIds, eventIds]);
    expect(sut.stats()).toMatchObject({ sent: 3, duplicates: 0, failed: 0, retries: 2, queued: 0 });
    expect(errors).toEqual([]);
    expect((await storedLogs(appId)).map((log) => log.eventId).sort()).toEqual([...eventIds].sort());
  });

  it('stores a batch once when the answer to the first attempt was lost', async () => {
    const appId = uniqueAppId('lost-answer');
    const { sut, proxy } = await behind(['forward-then-fail'], appId);

    const eventIds = [sut.log(entry()), sut.log(entry())];
    await sut.flush();

    expect(proxy.requests).toHaveLength(2);
    expect(sut.stats()).toMatchObject({ sent: 0, duplicates: 2, failed: 0, retries: 1 });
    const stored = await storedLogs(appId);
    expect(stored.map((log) => log.eventId).sort()).toEqual([...eventIds].sort());
  });

  it.each([
    [
      'a Retry-After header',
      {
        reply: 429,
        headers: { 'retry-after': '30' },
        body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }] },
      },
    ],
    [
      'extensions.retryAfter',
      {
        reply: 200,
        body: { data: null, errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED', retryAfter: 30 } }] },
      },
    ],
  ] as [string, ProxyStep][])('waits as long as %s asks before retrying', async (_, step) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const appId = uniqueAppId('retry-after');
    const recorder = recordingFetch();
    const waits: unknown[] = [];
    const { sut } = await behind([step], appId, {
      fetch: recorder.fetch,
      logger: { debug: (_message, data) => waits.push(data?.delayMs) },
    });

    sut.log(entry());
    const flushed = sut.flush();
    await eventually(() => expect(waits).toHaveLength(1));
    expect(waits[0]).toBeGreaterThanOrEqual(30_000);

    vi.advanceTimersByTime(29_999);
    await afterPendingCallbacks();
    expect(recorder.batches).toHaveLength(1);
    vi.advanceTimersByTime(waits[0] as number);
    await afterPendingCallbacks();
    expect(recorder.batches).toHaveLength(2);

    await flushed;
    expect(sut.stats()).toMatchObject({ sent: 1, retries: 1, failed: 0 });
  });

  it('retries a request that does not answer in time', async () => {
    const appId = uniqueAppId('timeout');
    const { sut, proxy } = await behind(['hang'], appId, { requestTimeoutMs: 300 });

    const eventId = sut.log(entry());
    await sut.flush();

    expect(proxy.requests.map((request) => request.eventIds)).toEqual([[eventId], [eventId]]);
    expect(sut.stats()).toMatchObject({ sent: 1, retries: 1, failed: 0 });
  });

  it('gives up after maxRetries and reports the batch', async () => {
    const appId = uniqueAppId('give-up');
    const { sut, proxy, errors } = await behind([unavailable, unavailable, unavailable, unavailable], appId, { maxRetries: 2 });

    const eventIds = [sut.log(entry()), sut.log(entry())];
    await sut.flush();

    expect(proxy.requests).toHaveLength(3);
    expect(sut.stats()).toMatchObject({ sent: 0, failed: 2, retries: 2, queued: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      kind: 'request_failed',
      operation: 'ingestLogs',
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      attempts: 3,
      eventIds,
    });
  });

  it('drops a batch the server refuses as bad input, without retrying', async () => {
    const appId = uniqueAppId('refused');
    const badInput: ProxyStep = {
      reply: 400,
      body: { errors: [{ message: 'logs: at most 1000 items', extensions: { code: 'BAD_USER_INPUT', field: 'logs' } }] },
    };
    const { sut, proxy, errors } = await behind([badInput], appId);

    sut.log(entry());
    await sut.flush();
    const next = sut.log(entry());
    await sut.flush();

    expect(proxy.requests).toHaveLength(2);
    expect(sut.stats()).toMatchObject({ sent: 1, failed: 1, retries: 0 });
    expect(errors.map((error) => [error.kind, error.status, error.code, error.attempts])).toEqual([
      ['request_failed', 400, 'BAD_USER_INPUT', 1],
    ]);
    expect((await storedLogs(appId)).map((log) => log.eventId)).toEqual([next]);
  });

  it('drops a batch sent with an unknown API key', async () => {
    const errors: LumenError[] = [];
    sut = new Lumen({
      apiKey: 'lmn_not_a_key',
      endpoint: inject('lumenUrl'),
      appId: uniqueAppId('no-key'),
      logger: null,
      onError: (error) => errors.push(error),
    });

    sut.log(entry());
    await sut.flush();

    expect(sut.stats()).toMatchObject({ sent: 0, failed: 1, retries: 0 });
    expect(errors[0]).toMatchObject({ kind: 'request_failed', status: 401, code: 'UNAUTHENTICATED' });
  });

  it('counts and reports the items the server rejects, stores the others, and retries none', async () => {
    const appId = uniqueAppId('rejected');
    const errors: LumenError[] = [];
    sut = new Lumen({ apiKey, endpoint: inject('lumenUrl'), appId, logger: null, onError: (error) => errors.push(error) });

    const good = sut.log(entry());
    const bad = sut.log(entry({ inputTokens: 10, cachedInputTokens: 20 }));
    const future = sut.log(entry({ timestamp: new Date(Date.now() + 24 * HOUR) }));
    await sut.flush();

    expect(sut.stats()).toMatchObject({ sent: 1, rejected: 2, failed: 0, retries: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.kind).toBe('rejected');
    expect(errors[0]!.eventIds).toEqual([bad, future]);
    expect(errors[0]!.rejected.map((item) => [item.eventId, item.field])).toEqual([
      [bad, 'cachedInputTokens'],
      [future, 'timestamp'],
    ]);
    expect((await storedLogs(appId)).map((log) => log.eventId)).toEqual([good]);
  });
});
