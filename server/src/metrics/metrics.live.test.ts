import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { deferred, type Deferred } from '../test/deferred.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { startTestLumen, testConfig, type TestLumen } from '../test/lumen.js';
import { wsClient, wsQuery } from '../test/ws-client.js';
import type { MetricsSnapshot } from './metrics.types.js';

const LIVE = `subscription($filter: MetricsFilter, $windowSeconds: Int) {
  liveMetrics(filter: $filter, windowSeconds: $windowSeconds) { at windowSeconds summary { requestCount errorCount latencyP95 totalCost } }
}`;

/** A subscriber that hands over each snapshot through a fresh deferred. */
function subscriber(client: Client, variables: Record<string, unknown>) {
  let next: Deferred<MetricsSnapshot> = deferred();
  const received: MetricsSnapshot[] = [];
  const failed = deferred<unknown>();
  const unsubscribe = client.subscribe<{ liveMetrics: MetricsSnapshot }>(
    { query: LIVE, variables },
    {
      next: (value) => {
        if (value.errors) return failed.resolve(value.errors);
        received.push(value.data!.liveMetrics);
        next.resolve(value.data!.liveMetrics);
      },
      error: (error) => failed.resolve(error),
      complete: () => undefined,
    },
  );
  return {
    received,
    failed: failed.promise,
    unsubscribe,
    nextSnapshot(): Promise<MetricsSnapshot> {
      const waiting = next.promise;
      return waiting.then((snapshot) => {
        if (next.promise === waiting) next = deferred();
        return snapshot;
      });
    },
  };
}

describe.each(testDatabases())('liveMetrics on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  let readKey: string;
  const ingest = (logs: unknown[]) => sut.gql<IngestPayload>(INGEST_LOGS, { logs });

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    const base = testConfig(created.config);
    // A long interval: the test drives ticks itself, so nothing depends on timing.
    sut = await startTestLumen(created.config, { metrics: { ...base.metrics, liveIntervalSeconds: 300 } });
    readKey = await sut.createKey('READ' as never);
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('pushes a snapshot at once, then after traffic, computed once for all subscribers of a feed', async () => {
    // A tick with no feed at all must not stop later ticks.
    await sut.lumen.services.liveMetrics.tick();
    const clients = [wsClient(sut.url, readKey), wsClient(sut.url, readKey), wsClient(sut.url, sut.adminKey)];
    const filter = { appId: 'live-app' };
    const subs = clients.map(({ client }) => subscriber(client, { filter, windowSeconds: 60 }));
    const first = await Promise.all(subs.map((sub) => sub.nextSnapshot()));
    expect(first.map((s) => s.summary.requestCount)).toEqual([0, 0, 0]);
    expect(first[0]).toMatchObject({ windowSeconds: 60, summary: { errorCount: 0, latencyP95: null, totalCost: '0' } });

    await ingest([
      logInput({ appId: 'live-app', latencyMs: 100, cost: '0.25' }),
      logInput({ appId: 'live-app', status: 'ERROR', latencyMs: 300, cost: '0.5' }),
    ]);
    const live = sut.lumen.services.liveMetrics;
    const computedBefore = live.computations;
    const second = subs.map((sub) => sub.nextSnapshot());
    await live.tick();
    expect(live.computations - computedBefore).toBe(live.feedCount);
    expect(live.feedCount).toBe(1);
    for (const snapshot of await Promise.all(second)) {
      expect(snapshot.summary).toEqual({ requestCount: 2, errorCount: 1, latencyP95: 290, totalCost: '0.75' });
      expect(Date.parse(String(snapshot.at))).toBeGreaterThan(Date.parse(String(first[0]!.at)));
    }

    // Nothing changed: a tick pushes nothing (a new log then shows the next push is the changed one).
    await live.tick();
    const third = subs[0]!.nextSnapshot();
    await ingest([logInput({ appId: 'live-app', latencyMs: 200 })]);
    await live.tick();
    expect((await third).summary.requestCount).toBe(3);
    expect(subs[0]!.received.map((s) => s.summary.requestCount)).toEqual([0, 2, 3]);

    for (const sub of subs) sub.unsubscribe();
    await Promise.all(clients.map(({ client }) => client.dispose()));
  });

  it('keeps feeds of different filters and windows apart', async () => {
    const { client } = wsClient(sut.url, readKey);
    const a = subscriber(client, { filter: { appId: 'feed-a' }, windowSeconds: 30 });
    const b = subscriber(client, { filter: { appId: 'feed-b' }, windowSeconds: 30 });
    const c = subscriber(client, { filter: { appId: 'feed-a' }, windowSeconds: 120 });
    await Promise.all([a.nextSnapshot(), b.nextSnapshot(), c.nextSnapshot()]);
    expect(sut.lumen.services.liveMetrics.feedCount).toBe(3);
    const next = [a.nextSnapshot(), c.nextSnapshot()];
    await ingest([logInput({ appId: 'feed-a' })]);
    await sut.lumen.services.liveMetrics.tick();
    expect((await Promise.all(next)).map((s) => [s.windowSeconds, s.summary.requestCount])).toEqual([
      [30, 1],
      [120, 1],
    ]);
    expect(b.received).toHaveLength(1);
    await client.dispose();
  });

  it('executes one stream per document, variables and role, whatever the number of sockets', async () => {
    const live = sut.lumen.services.liveMetrics;
    const filter = { appId: 'shared-app' };
    const streams = () => live.streamCount(filter, 45);
    const readers = [wsClient(sut.url, readKey), wsClient(sut.url, readKey), wsClient(sut.url, readKey)];
    const admin = wsClient(sut.url, sut.adminKey);
    // The same variables in another key order are the same group.
    const subs = [
      subscriber(readers[0]!.client, { filter, windowSeconds: 45 }),
      subscriber(readers[1]!.client, { windowSeconds: 45, filter }),
      subscriber(admin.client, { filter, windowSeconds: 45 }),
    ];
    await Promise.all(subs.map((sub) => sub.nextSnapshot()));
    // Two groups (READ and ADMIN) on one feed; the third reader joins the READ group and gets its last snapshot at once.
    expect(streams()).toBe(2);
    const late = subscriber(readers[2]!.client, { filter, windowSeconds: 45 });
    expect((await late.nextSnapshot()).summary.requestCount).toBe(0);
    expect(streams()).toBe(2);

    // One subscriber leaving does not stop its group; the others get the next snapshot.
    subs[0]!.unsubscribe();
    const next = [subs[1]!.nextSnapshot(), subs[2]!.nextSnapshot(), late.nextSnapshot()];
    await ingest([logInput({ appId: 'shared-app', latencyMs: 120 })]);
    await live.tick();
    expect((await Promise.all(next)).map((s) => s.summary.requestCount)).toEqual([1, 1, 1]);
    expect(subs[0]!.received.map((s) => s.summary.requestCount)).toEqual([0]);
    expect(late.received.map((s) => s.summary.requestCount)).toEqual([0, 1]);

    // The last subscriber of a group leaving ends its stream (a query answered on each socket after the
    // `complete` messages shows the server has handled them).
    for (const sub of [subs[1]!, subs[2]!, late]) sub.unsubscribe();
    await Promise.all([...readers, admin].map(({ client }) => wsQuery(client, '{ __typename }')));
    expect(streams()).toBe(0);
    await Promise.all([...readers, admin].map(({ client }) => client.dispose()));
  });

  it('refuses a window out of bounds and keys without READ', async () => {
    const { client } = wsClient(sut.url, readKey);
    expect(await subscriber(client, { windowSeconds: 5 }).failed).toMatchObject([
      { extensions: { code: 'BAD_USER_INPUT', field: 'windowSeconds' } },
    ]);
    const ingestKey = await sut.createKey('INGEST' as never);
    const ingestClient = wsClient(sut.url, ingestKey).client;
    expect(await subscriber(ingestClient, { windowSeconds: 60 }).failed).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    await Promise.all([client.dispose(), ingestClient.dispose()]);
  });
});
