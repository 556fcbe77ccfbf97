import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';

import { Lumen } from './client.js';
import { entry } from './test/entries.js';
import { createIngestKey, eventually, storedLogs, uniqueAppId } from './test/lumen-api.js';
import { recordingFetch } from './test/recording-fetch.js';

const HOUR = 3_600_000;

describe('Lumen batching', () => {
  let apiKey: string;
  let sut: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await sut?.shutdown();
    sut = undefined;
  });

  it('returns the eventId at once and sends a batch as soon as it is full', async () => {
    const appId = uniqueAppId('batch-size');
    const recorder = recordingFetch();
    sut = new Lumen({
      apiKey,
      endpoint: inject('lumenUrl'),
      appId,
      batchSize: 3,
      flushIntervalMs: HOUR,
      fetch: recorder.fetch,
      logger: null,
    });

    const eventIds = Array.from({ length: 7 }, () => sut!.log(entry()));

    expect(eventIds.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(recorder.batches).toEqual([eventIds.slice(0, 3)]);
    await eventually(() => expect(sut!.stats()).toMatchObject({ sent: 6, queued: 1 }));
    expect(recorder.batches).toEqual([eventIds.slice(0, 3), eventIds.slice(3, 6)]);

    await sut.flush();
    expect(recorder.batches[2]).toEqual([eventIds[6]]);
    expect((await storedLogs(appId)).map((log) => log.eventId).sort()).toEqual([...eventIds].sort());
    expect(sut.stats()).toMatchObject({ queued: 0, sent: 7, duplicates: 0, rejected: 0, dropped: 0, failed: 0, retries: 0 });
  });

  it('cuts batches by bytes as well as by count', async () => {
    const appId = uniqueAppId('batch-bytes');
    const recorder = recordingFetch();
    sut = new Lumen({
      apiKey,
      endpoint: inject('lumenUrl'),
      appId,
      batchSize: 100,
      maxBatchBytes: 2048,
      flushIntervalMs: HOUR,
      fetch: recorder.fetch,
      logger: null,
    });

    const eventIds = Array.from({ length: 4 }, () => sut!.log(entry({ prompt: 'x'.repeat(600) })));
    await sut.flush();

    expect(recorder.batches).toEqual([eventIds.slice(0, 2), eventIds.slice(2, 4)]);
    expect(await storedLogs(appId)).toHaveLength(4);
  });

  it('sends a partial batch once its oldest log has waited flushIntervalMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const appId = uniqueAppId('batch-time');
    const recorder = recordingFetch();
    sut = new Lumen({
      apiKey,
      endpoint: inject('lumenUrl'),
      appId,
      batchSize: 100,
      flushIntervalMs: 5_000,
      fetch: recorder.fetch,
      logger: null,
    });

    const first = sut.log(entry());
    vi.advanceTimersByTime(2_000);
    const second = sut.log(entry());
    vi.advanceTimersByTime(2_999);
    expect(recorder.batches).toEqual([]);

    vi.advanceTimersByTime(1);
    expect(recorder.batches).toEqual([[first, second]]);

    vi.useRealTimers();
    await eventually(async () => expect((await storedLogs(appId)).map((log) => log.eventId).sort()).toEqual([first, second].sort()));
    expect(sut.stats()).toMatchObject({ queued: 0, sent: 2 });
  });

  it('sends nothing while nothing is logged', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const recorder = recordingFetch();
    sut = new Lumen({
      apiKey,
      endpoint: inject('lumenUrl'),
      appId: uniqueAppId('idle'),
      flushIntervalMs: 1_000,
      fetch: recorder.fetch,
      logger: null,
    });

    vi.advanceTimersByTime(10 * HOUR);
    await sut.flush();

    expect(recorder.batches).toEqual([]);
  });
});
