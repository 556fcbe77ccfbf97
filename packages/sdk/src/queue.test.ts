import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

import { Lumen } from './client.js';
import type { LumenError } from './errors.js';
import { entry } from './test/entries.js';
import { createIngestKey, storedLogs, uniqueAppId } from './test/lumen-api.js';
import { recordingFetch } from './test/recording-fetch.js';
import type { LogEntry } from './types.js';

const HOUR = 3_600_000;

describe('Lumen queue', () => {
  let apiKey: string;
  let sut: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
  });
  afterEach(async () => {
    await sut?.shutdown();
    sut = undefined;
  });

  function client(appId: string, options: Partial<ConstructorParameters<typeof Lumen>[0]> = {}) {
    const errors: LumenError[] = [];
    const recorder = recordingFetch();
    sut = new Lumen({
      apiKey,
      endpoint: inject('lumenUrl'),
      appId,
      flushIntervalMs: HOUR,
      fetch: recorder.fetch,
      logger: null,
      onError: (error) => errors.push(error),
      ...options,
    });
    return { sut, errors, batches: recorder.batches };
  }

  it('drops and counts the logs that find the queue full, and reports the overflow once', async () => {
    const appId = uniqueAppId('queue-full');
    const { sut, errors } = client(appId, { maxQueueSize: 5 });

    const eventIds = Array.from({ length: 8 }, () => sut.log(entry()));

    expect(sut.stats()).toMatchObject({ queued: 5, dropped: 3 });
    expect(errors.map((error) => [error.kind, error.eventIds])).toEqual([['queue_full', [eventIds[5]]]]);
    await sut.flush();
    expect(sut.stats()).toMatchObject({ queued: 0, sent: 5, dropped: 3 });
    expect((await storedLogs(appId)).map((log) => log.eventId).sort()).toEqual(eventIds.slice(0, 5).sort());
  });

  it('takes logs again once the queue has room', async () => {
    const appId = uniqueAppId('queue-room');
    const { sut, errors } = client(appId, { maxQueueSize: 2 });

    sut.log(entry());
    sut.log(entry());
    sut.log(entry());
    await sut.flush();
    const later = sut.log(entry());
    await sut.flush();

    expect(sut.stats()).toMatchObject({ sent: 3, dropped: 1 });
    expect(errors.map((error) => error.kind)).toEqual(['queue_full']);
    expect((await storedLogs(appId)).map((log) => log.eventId)).toContain(later);
  });

  it('sends everything queued on shutdown and refuses logs afterwards', async () => {
    const appId = uniqueAppId('shutdown');
    const { sut, errors, batches } = client(appId, { batchSize: 3 });
    const eventIds = Array.from({ length: 5 }, () => sut.log(entry()));

    await expect(sut.shutdown()).resolves.toBe(true);

    expect(sut.stats()).toMatchObject({ queued: 0, sent: 5 });
    expect((await storedLogs(appId)).map((log) => log.eventId).sort()).toEqual([...eventIds].sort());
    const late = sut.log(entry());
    await sut.flush();
    expect(batches.flat()).not.toContain(late);
    expect(sut.stats()).toMatchObject({ sent: 5, dropped: 1 });
    expect(errors.map((error) => [error.kind, error.eventIds])).toEqual([['closed', [late]]]);
    await expect(sut.shutdown()).resolves.toBe(true);
  });

  it('refuses invalid entries at log() without sending them, and never throws', async () => {
    const appId = uniqueAppId('invalid');
    const { sut, errors, batches } = client(appId);
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    sut.log(entry({ model: '' }));
    sut.log(entry({ inputTokens: -1 }));
    sut.log(entry({ metadata: circular }));
    sut.log(null as unknown as LogEntry);
    const good = sut.log(entry());
    await sut.flush();

    expect(errors.map((error) => [error.kind, error.field])).toEqual([
      ['invalid', 'model'],
      ['invalid', 'inputTokens'],
      ['invalid', 'metadata'],
      ['invalid', 'entry'],
    ]);
    expect(batches).toEqual([[good]]);
    expect(sut.stats()).toMatchObject({ sent: 1, rejected: 4 });
  });

  it('keeps the eventId the caller gives, and the client appId unless the entry has its own', async () => {
    const appId = uniqueAppId('fields');
    const other = uniqueAppId('fields-other');
    const { sut } = client(appId);

    const given = sut.log(
      entry({
        eventId: `mine-${appId}`,
        timestamp: '2026-01-02T03:04:05.000Z',
        latencyMs: 12.6,
        tags: ['beta'],
        metadata: { region: 'eu' },
      }),
    );
    sut.log(entry({ appId: other }));
    await sut.flush();

    expect(given).toBe(`mine-${appId}`);
    const [stored] = await storedLogs(appId);
    expect(stored).toMatchObject({ eventId: `mine-${appId}`, latencyMs: 13, tags: ['beta'], metadata: { region: 'eu' } });
    expect(await storedLogs(other)).toHaveLength(1);
  });
});
