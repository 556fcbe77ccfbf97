import { beforeAll, describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';
import { ApiKeyRole } from './api-key.entity.js';
import { hashApiKey } from './api-key.secret.js';

const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';
const LOGS = '{ logs(first: 1) { nodes { id } } }';
const KEYS = '{ apiKeys { id name role prefix revokedAt } }';
const log = { appId: 'chat', provider: 'openai', model: 'gpt-4o' };

describe.each(testDatabases())('API keys and roles on $name', (database) => {
  const sut = useTestLumen(database);
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
    readKey = await sut.createKey(ApiKeyRole.READ);
  });

  it('refuses a request without a key with UNAUTHENTICATED', async () => {
    const result = await sut.gql(LOGS, {}, null);
    expect(result.data).toBeFalsy();
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown key and a malformed header with 401', async () => {
    const unknown = await sut.gql(LOGS, {}, 'lmn_not-a-real-key');
    expect(unknown.status).toBe(401);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const response = await fetch(`${sut.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${sut.adminKey}` },
      body: JSON.stringify({ query: LOGS }),
    });
    expect(response.status).toBe(401);
  });

  it('lets an INGEST key send logs but not read them', async () => {
    expect((await sut.gql(INGEST, { logs: [log] }, ingestKey)).data).toEqual({ ingestLogs: { accepted: 1 } });
    const read = await sut.gql(LOGS, {}, ingestKey);
    expect(read.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a READ key read but not ingest or manage', async () => {
    expect((await sut.gql(LOGS, {}, readKey)).data).toBeTruthy();
    expect((await sut.gql(INGEST, { logs: [log] }, readKey)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await sut.gql(KEYS, {}, readKey)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const createPrice = await sut.gql(
      'mutation { createCostConfig(input: { provider: "x", model: "y", inputPricePerMillion: 1, outputPricePerMillion: 1 }) { id } }',
      {},
      readKey,
    );
    expect(createPrice.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('returns a new key once and lists keys without any secret', async () => {
    const created = await sut.gql<{ createApiKey: { key: string; apiKey: { id: string; role: string; prefix: string } } }>(
      'mutation { createApiKey(name: "ci", role: READ) { key apiKey { id role prefix } } }',
    );
    const { key, apiKey } = created.data!.createApiKey;
    expect(key).toMatch(/^lmn_[\w-]{43}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const listed = await sut.gql<{ apiKeys: Record<string, unknown>[] }>(KEYS);
    expect(listed.data!.apiKeys.find((k) => k.id === apiKey.id)).toMatchObject({ name: 'ci', role: 'READ' });
    expect(JSON.stringify(listed.data)).not.toContain(key);
  });

  it('stores only a hash of each key', async () => {
    const rows = await sut.lumen.services.sql.query<{ key_hash: string; prefix: string }>('select key_hash, prefix from api_key');
    expect(rows.some((row) => row.key_hash === hashApiKey(readKey))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(readKey);
  });

  it('refuses a revoked key at once', async () => {
    const key = await sut.createKey(ApiKeyRole.READ);
    expect((await sut.gql(LOGS, {}, key)).data).toBeTruthy();
    const list = await sut.gql<{ apiKeys: { id: string; prefix: string }[] }>(KEYS);
    const id = list.data!.apiKeys.find((k) => key.startsWith(k.prefix))!.id;
    const revoked = await sut.gql<{ revokeApiKey: { revokedAt: string } }>('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', {
      id,
    });
    expect(revoked.data!.revokeApiKey.revokedAt).toBeTruthy();
    expect((await sut.gql(LOGS, {}, key)).status).toBe(401);
  });

  it("answers viewer with the caller's own key", async () => {
    const result = await sut.gql<{ viewer: { role: string } }>('{ viewer { role } }', {}, ingestKey);
    expect(result.data).toEqual({ viewer: { role: 'INGEST' } });
  });

  it('says BAD_USER_INPUT for a bad name, role or id', async () => {
    const badName = await sut.gql('mutation { createApiKey(name: "  ", role: READ) { key } }');
    expect(badName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const badRole = await sut.gql('mutation { createApiKey(name: "x", role: OWNER) { key } }');
    expect(badRole.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badId = await sut.gql('mutation { revokeApiKey(id: "42") { id } }');
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const missing = await sut.gql('mutation { revokeApiKey(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
