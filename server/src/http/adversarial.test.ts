import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { deferred } from '../test/deferred.js';
import { INGEST_LOGS, logInput } from '../test/factories.js';
import { startTestLumen, useTestLumen, waitFor } from '../test/lumen.js';
import { wsClient, wsQuery } from '../test/ws-client.js';
import { WS_KEY_REVOKED, WS_UNAUTHORIZED } from './websocket.js';

const defaults = loadConfig({});
const ALL_LOG_FIELDS =
  'id eventId appId model provider status timestamp latencyMs inputTokens outputTokens cost currency costSource metadata tags prompt response';

/**
 * What a hostile or careless client might send. Each case checks the exact refusal, and after each
 * one the server must still answer /healthz.
 */
describe('adversarial requests', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, {
    env: 'production',
    graphql: {
      introspection: false,
      maxDepth: 3,
      maxCost: 2000,
      maxAliases: 3,
      maxTokens: 1000,
      maxDocumentBytes: 16 * 1024,
      maxDirectives: 5,
    },
    websocket: { initTimeoutMs: 300, maxMessageBytes: 16 * 1024, maxSubscriptions: 2, maxBufferedBytes: 64 * 1024 },
    limits: { ...defaults.limits, maxBodyBytes: 64 * 1024 },
  });
  const first = async (query: string, variables: Record<string, unknown> = {}, key?: string | null) => {
    const result = await sut.gql(query, variables, key);
    return { status: result.status, error: result.errors?.[0], data: result.data };
  };
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.adminKey}`, ...headers },
      body,
    });

  afterEach(async () => {
    expect((await fetch(`${sut.url}/healthz`)).status).toBe(200);
  });

  describe('operation shape (HTTP)', () => {
    it('refuses a query deeper than GRAPHQL_MAX_DEPTH', async () => {
      expect((await first('{ logs { nodes { id } } }')).error).toBeUndefined();
      const { status, error } = await first('{ logs { edges { node { id } } } }');
      expect(status).toBe(400);
      expect(error).toMatchObject({
        message: expect.stringContaining('depth limit of 3 exceeded'),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    });

    it('refuses a query costlier than GRAPHQL_MAX_COST', async () => {
      expect((await first(`{ logs { nodes { ${ALL_LOG_FIELDS} } } }`)).error).toBeUndefined();
      const { status, error } = await first(`{ logs(first: 200) { nodes { ${ALL_LOG_FIELDS} } } }`);
      expect(status).toBe(400);
      expect(error?.message).toContain('more than the limit of 2000 (GRAPHQL_MAX_COST)');
    });

    it('refuses more aliases than GRAPHQL_MAX_ALIASES', async () => {
      expect((await first('{ a: viewer { id } b: viewer { id } c: viewer { id } }')).error).toBeUndefined();
      const { status, error } = await first('{ a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } }');
      expect(status).toBe(400);
      expect(error?.message).toContain('Aliases limit of 3 exceeded');
    });

    it('refuses a document longer than GRAPHQL_MAX_TOKENS without parsing it', async () => {
      const { status, error } = await first(`{ ${'__typename '.repeat(1001)} }`);
      expect(status).toBe(400);
      expect(error).toMatchObject({
        message: expect.stringContaining('more that 1000 tokens'),
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      });
    });

    it('refuses more directives than GRAPHQL_MAX_DIRECTIVES', async () => {
      const { status, error } = await first(`{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename @skip(if: false)`).join(' ')} }`);
      expect(status).toBe(400);
      expect(error?.message).toContain('Directives limit of 5 exceeded');
    });

    it('refuses introspection in production and hides field suggestions', async () => {
      expect((await first('{ __schema { types { name } } }')).error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await first('{ viewer { rol } }')).error?.message).not.toContain('role');
    });

    it('refuses batched operations and GET requests without a preflight header', async () => {
      const batch = await post(JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]));
      expect(batch.status).toBe(400);
      expect(await batch.text()).toContain('batching disabled');
      const get = await fetch(`${sut.url}/graphql?query=${encodeURIComponent('{ viewer { id } }')}`, {
        headers: { authorization: `Bearer ${sut.adminKey}` },
      });
      expect(get.status).toBe(400);
      expect(await get.text()).toContain('Cross-Site Request Forgery');
    });
  });

  describe('bodies and values (HTTP)', () => {
    it('refuses an oversized body with 413 and a malformed one with 400', async () => {
      expect((await post(JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(70 * 1024) } }))).status).toBe(413);
      expect((await post('{"query": "{ viewer { id } }"')).status).toBe(400);
      expect((await post('[1, 2')).status).toBe(400);
      expect((await post(JSON.stringify({ nothing: true }))).status).toBe(400);
    });

    it('refuses wrong types, unknown enums, and numbers out of range', async () => {
      expect((await first('{ logs(first: "ten") { nodes { id } } }')).error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await first('{ logs(filter: { status: MAYBE }) { nodes { id } } }')).error?.extensions?.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
      expect(
        (await first('query($f: LogFilter) { logs(filter: $f) { nodes { id } } }', { f: { status: 'MAYBE' } })).error?.extensions?.code,
      ).toBe('BAD_USER_INPUT');
      expect((await first('{ logs(first: -1) { nodes { id } } }')).error?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
      expect((await first('{ logs(first: 99999999999) { nodes { id } } }')).error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const huge = await first(INGEST_LOGS, { logs: [logInput({ inputTokens: 2 ** 40 })] });
      expect(huge.data).toMatchObject({ ingestLogs: { accepted: 0, rejected: [{ index: 0, field: 'inputTokens' }] } });
      expect(
        (await first('query($f: LogFilter) { logs(filter: $f) { nodes { id } } }', { f: { from: 'yesterday' } })).error?.extensions?.code,
      ).toBe('BAD_USER_INPUT');
    });

    it('refuses a time range that ends before it starts', async () => {
      const { error } = await first(
        'mutation { recomputeCosts(range: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { updated } }',
      );
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'range' });
    });
  });

  describe('metrics, feedback and alerts arguments', () => {
    const range = { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' };

    it('refuses an unknown timezone, a reversed or huge range, and a limit out of bounds', async () => {
      const series = 'query($range: TimeRangeInput!, $tz: String) { metricsTimeSeries(range: $range, timezone: $tz) { bucket } }';
      expect((await first(series, { range, tz: 'Mars/Olympus_Mons' })).error?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'timezone',
      });
      expect((await first(series, { range: { from: range.to, to: range.from } })).error?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
      });
      expect((await first(series, { range: { from: '1900-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' } })).error?.extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
      expect((await first(series, { range: { from: 'not a date', to: range.to } })).error?.extensions?.code).toBe('BAD_USER_INPUT');
      const breakdown = await first(
        'query($range: TimeRangeInput!) { metricsBreakdown(range: $range, by: MODEL, limit: 100000) { key } }',
        { range },
      );
      expect(breakdown.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
      expect(
        (await first('query($range: TimeRangeInput!) { metricsBreakdown(range: $range, by: COLOR) { key } }', { range })).error?.extensions
          ?.code,
      ).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('refuses feedback with a score out of range or an oversized comment', async () => {
      const submit = 'mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }';
      expect((await first(submit, { input: { appId: 'a', rating: 'NEGATIVE', score: 9 } })).error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(
        (await first(submit, { input: { appId: 'a', rating: 'NEGATIVE', comment: 'x'.repeat(60_000) } })).error?.extensions?.code,
      ).toBe('BAD_USER_INPUT');
    });

    it('refuses an alert rule with a negative window, an unknown metric or a webhook that is not http', async () => {
      const create = 'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }';
      const rule = { name: 'r', metric: 'ERROR_RATE', operator: 'GT', threshold: '0.2', windowMinutes: 5 };
      expect((await first(create, { input: { ...rule, windowMinutes: -5 } })).error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await first(create, { input: { ...rule, metric: 'VIBES' } })).error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await first(create, { input: { ...rule, webhookUrl: 'file:///etc/passwd' } })).error?.extensions?.code).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  describe('keys and roles', () => {
    it('refuses no key, a wrong role and a revoked key over HTTP', async () => {
      expect((await first('{ logs { nodes { id } } }', {}, null)).error?.extensions?.code).toBe('UNAUTHENTICATED');
      const ingest = await sut.createKey(ApiKeyRole.INGEST);
      expect((await first('{ logs { nodes { id } } }', {}, ingest)).error?.extensions?.code).toBe('FORBIDDEN');
      const read = await sut.createKey(ApiKeyRole.READ);
      const keys = await sut.gql<{ apiKeys: { id: string; prefix: string }[] }>('{ apiKeys { id prefix } }');
      const id = keys.data!.apiKeys.find((key) => read.startsWith(key.prefix))!.id;
      await first('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });
      expect((await first('{ logs { nodes { id } } }', {}, read)).status).toBe(401);
    });

    it('closes the socket of a key revoked while connected, within seconds', async () => {
      const read = await sut.createKey(ApiKeyRole.READ);
      const { client, closed } = wsClient(sut.url, read);
      expect(await wsQuery(client, '{ viewer { role } }')).toEqual({ data: { viewer: { role: 'READ' } } });
      const keys = await sut.gql<{ apiKeys: { id: string; prefix: string }[] }>('{ apiKeys { id prefix } }');
      const id = keys.data!.apiKeys.find((key) => read.startsWith(key.prefix))!.id;
      await sut.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });
      expect(await closed).toMatchObject({ code: WS_KEY_REVOKED, reason: 'API key revoked' });
      await client.dispose();
    });

    it('closes a websocket without a key with 4401', async () => {
      const { client, closed } = wsClient(sut.url, null);
      expect((await closed).code).toBe(WS_UNAUTHORIZED);
      await client.dispose();
    });
  });

  describe('websocket limits', () => {
    const rawSocket = () => new WebSocket(`${sut.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const closeOf = (socket: WebSocket) => {
      const closed = deferred<{ code: number; reason: string }>();
      socket.on('close', (code, reason) => closed.resolve({ code, reason: reason.toString() }));
      socket.on('error', () => undefined);
      return closed.promise;
    };

    it('closes a socket that never sends connection_init (4408)', async () => {
      const socket = rawSocket();
      expect((await closeOf(socket)).code).toBe(4408);
    });

    it('closes a socket that sends a message over WS_MAX_MESSAGE_BYTES (1009)', async () => {
      const socket = rawSocket();
      const closed = closeOf(socket);
      socket.on('open', () =>
        socket.send(
          JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sut.adminKey}`, pad: 'x'.repeat(20 * 1024) } }),
        ),
      );
      expect((await closed).code).toBe(1009);
    });

    it('refuses an operation over WS_MAX_SUBSCRIPTIONS on one connection', async () => {
      const { client } = wsClient(sut.url, sut.adminKey);
      const live = 'subscription { liveMetrics(windowSeconds: 60) { at } }';
      const first = deferred();
      const second = deferred();
      const third = deferred<unknown>();
      client.subscribe({ query: live }, { next: () => first.resolve(), error: first.reject, complete: () => undefined });
      client.subscribe({ query: live }, { next: () => second.resolve(), error: second.reject, complete: () => undefined });
      await Promise.all([first.promise, second.promise]);
      client.subscribe(
        { query: live },
        { next: () => third.reject(new Error('a third subscription ran')), error: third.resolve, complete: () => undefined },
      );
      expect(JSON.stringify(await third.promise)).toContain('WS_MAX_SUBSCRIPTIONS');
      await client.dispose();
    });

    it('disconnects a subscriber that stops reading before its backlog passes WS_MAX_BUFFERED_BYTES', async () => {
      // 500 logs of 32 KiB each, stored directly (this server's body limit is small): 16 MiB per answer.
      const logs = Array.from({ length: 500 }, () =>
        logInput({ appId: 'slow-reader', prompt: 'p'.repeat(32 * 1024), timestamp: new Date(logInput().timestamp as string) }),
      );
      for (let i = 0; i < logs.length; i += 100) await sut.lumen.services.logIngest.ingest(logs.slice(i, i + 100));
      const socket = rawSocket();
      const closed = closeOf(socket);
      const acknowledged = deferred();
      socket.on('message', (data) => {
        if (JSON.parse(data.toString()).type === 'connection_ack') acknowledged.resolve();
      });
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sut.adminKey}` } })),
      );
      await acknowledged.promise;
      // Stop reading, then ask for far more than the kernel buffers and the limit hold.
      (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      // Two at once (WS_MAX_SUBSCRIPTIONS here): the first answer fills the socket, the second finds it full.
      for (let i = 0; i < 2; i++)
        socket.send(
          JSON.stringify({
            id: `q${i}`,
            type: 'subscribe',
            payload: {
              query: 'query($n: Int) { logs(filter: { appId: "slow-reader" }, first: $n) { nodes { prompt } } }',
              variables: { n: 500 },
            },
          }),
        );
      await waitFor(() => sut.logLines().some((line) => line.msg === 'websocket subscriber too slow: disconnected'));
      (socket as unknown as { _socket: { resume(): void } })._socket.resume();
      expect((await closed).code).toBe(1006);
    });

    it('applies the same shape limits to websocket operations', async () => {
      const { client } = wsClient(sut.url, sut.adminKey);
      const deep = await wsQuery(client, '{ logs { edges { node { id } } } }').catch((errors: unknown) => ({ errors }));
      expect(JSON.stringify(deep)).toContain('depth limit of 3 exceeded');
      const long = await wsQuery(client, `{ ${'__typename '.repeat(1001)} }`).catch((errors: unknown) => ({ errors }));
      expect(JSON.stringify(long)).toContain('1000 tokens');
      await client.dispose();
    });
  });
});

describe("errors that are not the client's", () => {
  it('are masked: no message, stack or SQL, but a request id the server log carries', async () => {
    const [database] = testDatabases();
    const created = await database!.create();
    const sut = await startTestLumen(created.config);
    try {
      await sut.lumen.services.sql.query('drop table model_cost_config');
      const response = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sut.adminKey}`, 'x-request-id': 'trace-me-42' },
        body: JSON.stringify({ query: '{ costConfigs { id } }' }),
      });
      const body = await response.text();
      expect(JSON.parse(body).errors[0]).toEqual({
        message: 'Internal server error',
        locations: [{ line: 1, column: 3 }],
        path: ['costConfigs'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-me-42' },
      });
      expect(body).not.toMatch(/model_cost_config|relation|select|stack/i);
    } finally {
      await sut.stop();
      await created.drop();
    }
  });
});
