import { beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { excerptAround } from './log.resolver.js';

const SEARCH = `query($search: String!, $appId: String) {
  logs(filter: { search: $search, appId: $appId }, first: 50) { nodes { eventId match(search: $search) } }
}`;

describe.each(testDatabases())('searching prompts and responses on $name', (database) => {
  const sut = useTestLumen(database);
  beforeAll(async () => {
    const logs = [
      logInput({ eventId: 's-1', appId: 'search', prompt: 'Where is order 1042?', response: 'Order 1042 left the warehouse today.' }),
      logInput({ eventId: 's-2', appId: 'search', prompt: '订单 1043 什么时候到？', response: '订单 1043 已发货，明天送达。' }),
      logInput({ eventId: 's-3', appId: 'search', prompt: 'What is 50% of 30?', response: 'Fifteen.' }),
      logInput({ eventId: 's-4', appId: 'search', prompt: 'Translate "WAREHOUSE" to French', response: 'Entrepôt.' }),
      logInput({ eventId: 's-5', appId: 'other', prompt: 'warehouse hours?', response: 'Nine to five.' }),
    ];
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(result.data?.ingestLogs.accepted).toBe(5);
  });

  const search = async (text: string, appId = 'search') => {
    const { data, errors } = await sut.gql<{ logs: { nodes: { eventId: string; match: string | null }[] } }>(SEARCH, {
      search: text,
      appId,
    });
    expect(errors).toBeUndefined();
    return data!.logs.nodes;
  };

  it('finds the text in prompts or responses, in any case, newest first, with the other filters', async () => {
    expect((await search('warehouse')).map((n) => n.eventId).sort()).toEqual(['s-1', 's-4']);
    expect((await search('entrepôt')).map((n) => n.eventId)).toEqual(['s-4']);
    expect(await search('submarine')).toEqual([]);
  });

  it('finds Chinese text inside a sentence', async () => {
    expect((await search('已发货')).map((n) => n.eventId)).toEqual(['s-2']);
  });

  it('looks for % and _ as written, not as patterns', async () => {
    expect((await search('50%')).map((n) => n.eventId)).toEqual(['s-3']);
    expect(await search('0%_')).toEqual([]);
  });

  it('answers an excerpt around the match', async () => {
    const [hit] = await search('left the');
    expect(hit!.match).toContain('left the warehouse');
  });

  it('refuses a search shorter than 2 characters', async () => {
    const { errors } = await sut.gql(SEARCH, { search: 'a', appId: 'search' });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });
});

describe(excerptAround.name, () => {
  it('cuts around the first match with ellipses', () => {
    const text = `${'a'.repeat(300)} needle ${'b'.repeat(300)}`;
    const excerpt = excerptAround(text, 'NEEDLE', 40)!;
    expect(excerpt).toContain('needle');
    expect(excerpt.startsWith('…') && excerpt.endsWith('…')).toBe(true);
    expect(excerptAround('short text', 'text', 160)).toBe('short text');
    expect(excerptAround('short text', 'none', 160)).toBeNull();
  });
});

describe('LOG_SEARCH_INDEX=false', () => {
  const [database] = testDatabases();
  const sut = useTestLumen(database!, { dataProtection: { ...loadConfig({ LOG_SEARCH_INDEX: 'false' }).dataProtection } });

  it('drops the trigram index at start-up, and search still answers by scanning', async () => {
    const [row] = await sut.lumen.services.sql.query<{ present: boolean }>(
      `select to_regclass('app_log_content_trgm_index') is not null as present`,
    );
    expect(row!.present).toBe(false);
    await sut.gql(INGEST_LOGS, { logs: [logInput({ eventId: 'n-1', appId: 'noindex', prompt: 'Where is the warehouse?' })] });
    const { data } = await sut.gql<{ logs: { nodes: { eventId: string }[] } }>(SEARCH, { search: 'WAREHOUSE', appId: 'noindex' });
    expect(data!.logs.nodes.map((n) => n.eventId)).toEqual(['n-1']);
  });
});
