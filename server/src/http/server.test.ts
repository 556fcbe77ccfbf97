import { describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { deferred } from '../test/deferred.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { startTestLumen, useTestLumen } from '../test/lumen.js';
import { wsClient, wsQuery } from '../test/ws-client.js';
import { WS_UNAUTHORIZED } from './websocket.js';

describe.each(testDatabases())('HTTP and websocket server on $name', (database) => {
  const sut = useTestLumen(database);

  it('answers /healthz with 200 while the database answers', async () => {
    const response = await fetch(`${sut.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('echoes the request id a client sends', async () => {
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.adminKey}`, 'x-request-id': 'req-abc' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc');
  });

  it('closes a websocket without a key with 4401', async () => {
    const { client, closed } = wsClient(sut.url, null);
    expect((await closed).code).toBe(WS_UNAUTHORIZED);
    await client.dispose();
  });

  it('closes a websocket with an unknown key with 4401', async () => {
    const { client, closed } = wsClient(sut.url, 'lmn_unknown');
    expect(await closed).toMatchObject({ code: WS_UNAUTHORIZED, reason: expect.stringContaining('unknown or revoked') });
    await client.dispose();
  });

  it("runs operations over an authenticated websocket with the key's role", async () => {
    const readKey = await sut.createKey(ApiKeyRole.READ);
    const { client } = wsClient(sut.url, readKey);
    try {
      expect(await wsQuery(client, '{ viewer { role } }')).toEqual({ data: { viewer: { role: 'READ' } } });
      const forbidden = await wsQuery(client, '{ apiKeys { id } }').catch((errors: unknown) => ({ errors }));
      expect(JSON.stringify(forbidden)).toContain('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight ingest, then refuses new connections', async () => {
    const [database] = testDatabases();
    const created = await database!.create();
    const sut = await startTestLumen(created.config);
    const reached = deferred();
    const release = deferred();
    sut.lumen.services.logIngest.onStored(async () => {
      reached.resolve();
      await release.promise;
    });
    const log = logInput({ appId: 'shutdown' });
    const inFlight = sut.gql<IngestPayload>(INGEST_LOGS, { logs: [log] });
    await reached.promise;
    const stopped = sut.stop();
    release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.data!.ingestLogs.accepted).toBe(1);
    await stopped;
    await expect(fetch(`${sut.url}/healthz`)).rejects.toThrow();
    await created.drop();
  });
});
