import { beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { deferred } from '../test/deferred.js';
import { useTestLumen, waitFor } from '../test/lumen.js';
import { wsClient, wsQuery } from '../test/ws-client.js';

type WsErrors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** Errors over graphql-ws are masked, coded, logged and given request ids as over HTTP. */
describe('websocket errors in production', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, {
    env: 'production',
    websocket: { initTimeoutMs: 2_000, maxMessageBytes: 4 * 1024, maxSubscriptions: 5, maxBufferedBytes: 1024 * 1024 },
  });
  let read: string;
  const run = async (query: string, key = read) => {
    const { client } = wsClient(sut.url, key);
    try {
      return (await wsQuery(client, query).catch((errors: unknown) => ({ errors }))) as WsErrors;
    } finally {
      await client.dispose();
    }
  };

  beforeAll(async () => {
    read = await sut.createKey(ApiKeyRole.READ);
  });

  it("refuses a NUL in a filter as BAD_USER_INPUT, never with the database's message", async () => {
    const result = await run('{ logs(filter: { appId: "x\\u0000y" }) { nodes { id } } }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.appId' });
    expect(JSON.stringify(result)).not.toMatch(/invalid byte sequence|UTF8|0x00/);
  });

  it('masks an internal failure with a request id the server log carries', async () => {
    await sut.lumen.services.sql.query('alter table model_cost_config rename to model_cost_config_gone');
    try {
      const result = await run('{ costConfigs { id } }');
      const error = result.errors?.[0];
      expect(error).toMatchObject({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) },
      });
      expect(JSON.stringify(result)).not.toMatch(/model_cost_config|relation|select/);
      const line = sut.logLines().find((entry) => entry.msg === 'request failed' && entry.requestId === error!.extensions!.requestId);
      expect(line).toBeDefined();
    } finally {
      await sut.lumen.services.sql.query('alter table model_cost_config_gone rename to model_cost_config');
    }
  });

  it('hides "Did you mean" hints for fields and enum values', async () => {
    const field = await run('{ viewer { rol } }');
    const enumValue = await run('{ logs(filter: { status: SUCESS }) { nodes { id } } }');
    for (const result of [field, enumValue]) {
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(result)).not.toMatch(/Did you mean|role|SUCCESS/);
    }
  });

  it('logs an oversized unauthenticated frame as one JSON line, never with console', async () => {
    const printed = vi.spyOn(console, 'error');
    const warned = vi.spyOn(console, 'warn');
    try {
      const socket = new WebSocket(`${sut.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const closed = deferred<number>();
      socket.on('close', (code) => closed.resolve(code));
      socket.on('error', () => undefined);
      socket.on('open', () => socket.send('x'.repeat(8 * 1024)));
      expect(await closed.promise).toBe(1009);
      await waitFor(() => sut.logLines().some((line) => line.msg === 'websocket closed: the client sent a message the server refuses'));
      expect(printed).not.toHaveBeenCalled();
      expect(warned).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      warned.mockRestore();
    }
  });
});
