import { describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

const CREATE =
  'mutation($input: CostConfigInput!) { createCostConfig(input: $input) { id provider model modelPattern inputPricePerMillion outputPricePerMillion cachedInputPricePerMillion currency effectiveFrom } }';
const UPDATE =
  'mutation($id: ID!, $input: CostConfigInput!) { updateCostConfig(id: $id, input: $input) { id inputPricePerMillion model modelPattern } }';
const PREVIEW =
  'query($range: TimeRangeInput!, $filter: MetricsFilter) { previewRecomputeCosts(range: $range, filter: $filter) { scanned changed costBefore costAfter } }';
const RECOMPUTE =
  'mutation($range: TimeRangeInput!, $filter: MetricsFilter) { recomputeCosts(range: $range, filter: $filter) { scanned updated } }';

describe.each(testDatabases())('cost table and pricing on $name', (database) => {
  const sut = useTestLumen(database);
  const priceOf = async (eventId: string) =>
    (
      await sut.lumen.services.sql.query<{ cost: string | null; cost_source: string; currency: string }>(
        'select cost::text, cost_source, currency from app_log where event_id = $1',
        [eventId],
      )
    )[0];
  const ingest = async (logs: Record<string, unknown>[]) => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(result.data?.ingestLogs.rejected).toEqual([]);
  };
  const create = async (input: Record<string, unknown>) => {
    const result = await sut.gql<{ createCostConfig: Record<string, string> }>(CREATE, { input });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.createCostConfig;
  };

  it('creates, lists, updates and deletes prices, keeping decimals exact', async () => {
    const config = await create({
      provider: 'acme',
      model: 'acme-1',
      inputPricePerMillion: '0.123456789',
      outputPricePerMillion: 2,
      currency: 'eur',
    });
    expect(config).toMatchObject({
      provider: 'acme',
      model: 'acme-1',
      modelPattern: null,
      inputPricePerMillion: '0.123456789',
      outputPricePerMillion: '2',
      currency: 'EUR',
      effectiveFrom: null,
    });
    const listed = await sut.gql<{ costConfigs: { id: string }[] }>('{ costConfigs { id } }');
    expect(listed.data!.costConfigs.map((c) => c.id)).toContain(config.id);
    const updated = await sut.gql<{ updateCostConfig: Record<string, string> }>(UPDATE, {
      id: config.id,
      input: { provider: 'acme', model: 'acme-1', inputPricePerMillion: '0.5', outputPricePerMillion: 2 },
    });
    expect(updated.data!.updateCostConfig).toMatchObject({ inputPricePerMillion: '0.5', model: 'acme-1' });
    expect((await sut.gql('mutation($id: ID!) { deleteCostConfig(id: $id) }', { id: config.id })).data).toEqual({ deleteCostConfig: true });
    expect((await sut.gql('mutation($id: ID!) { deleteCostConfig(id: $id) }', { id: config.id })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );
  });

  it.each([
    [{ provider: 'x', inputPricePerMillion: 1, outputPricePerMillion: 1 }, 'model'],
    [{ provider: 'x', model: 'a', modelPattern: 'a.*', inputPricePerMillion: 1, outputPricePerMillion: 1 }, 'model'],
    [{ provider: 'x', modelPattern: '(unclosed', inputPricePerMillion: 1, outputPricePerMillion: 1 }, 'modelPattern'],
    [{ provider: 'x', model: 'a', inputPricePerMillion: -1, outputPricePerMillion: 1 }, 'inputPricePerMillion'],
    [{ provider: '', model: 'a', inputPricePerMillion: 1, outputPricePerMillion: 1 }, 'provider'],
    [{ provider: 'x', model: 'a', inputPricePerMillion: 1, outputPricePerMillion: 1, currency: 'US' }, 'currency'],
  ])('refuses %j naming %s', async (input, field) => {
    const result = await sut.gql(CREATE, { input });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a second price for the same model and date', async () => {
    await create({ provider: 'dup', model: 'd-1', inputPricePerMillion: 1, outputPricePerMillion: 1 });
    const again = await sut.gql(CREATE, { input: { provider: 'DUP', model: 'd-1', inputPricePerMillion: 2, outputPricePerMillion: 2 } });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('prices in order: provided cost, exact config, pattern config, bundled data, unpriced', async () => {
    await create({
      provider: 'openai',
      model: 'gpt-4o',
      inputPricePerMillion: '3',
      outputPricePerMillion: '12',
      cachedInputPricePerMillion: '1',
    });
    await create({
      provider: 'openai',
      modelPattern: 'gpt-4o-\\d{4}-\\d{2}-\\d{2}',
      inputPricePerMillion: '100',
      outputPricePerMillion: '100',
    });
    await ingest([
      logInput({ eventId: 'p-provided', cost: '0.5', inputTokens: 1_000_000 }),
      logInput({ eventId: 'p-exact', inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 1_000_000 }),
      logInput({ eventId: 'p-pattern', model: 'gpt-4o-2024-08-06', inputTokens: 10_000, outputTokens: 0 }),
      logInput({ eventId: 'p-builtin', model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 }),
      logInput({ eventId: 'p-unpriced', provider: 'acme', model: 'unknown-model' }),
    ]);
    expect(await priceOf('p-provided')).toEqual({ cost: '0.5000000000', cost_source: 'PROVIDED', currency: 'USD' });
    expect(await priceOf('p-exact')).toMatchObject({ cost: '14.0000000000', cost_source: 'CONFIG' }); // 1.5 + 0.5 + 12
    expect(await priceOf('p-pattern')).toMatchObject({ cost: '1.0000000000', cost_source: 'CONFIG' });
    expect(await priceOf('p-builtin')).toMatchObject({ cost: '0.1500000000', cost_source: 'BUILTIN' });
    expect(await priceOf('p-unpriced')).toEqual({ cost: null, cost_source: 'UNPRICED', currency: 'USD' });
  });

  it('uses the price in effect at the log time', async () => {
    await create({
      provider: 'timed',
      model: 't-1',
      inputPricePerMillion: '1',
      outputPricePerMillion: '0',
      effectiveFrom: '2026-01-01T00:00:00Z',
    });
    await create({
      provider: 'timed',
      model: 't-1',
      inputPricePerMillion: '2',
      outputPricePerMillion: '0',
      effectiveFrom: '2026-02-01T00:00:00Z',
    });
    await ingest([
      logInput({ eventId: 't-jan', provider: 'timed', model: 't-1', inputTokens: 1_000_000, timestamp: '2026-01-15T00:00:00Z' }),
      logInput({ eventId: 't-feb', provider: 'timed', model: 't-1', inputTokens: 1_000_000, timestamp: '2026-02-15T00:00:00Z' }),
      logInput({ eventId: 't-dec', provider: 'timed', model: 't-1', inputTokens: 1_000_000, timestamp: '2025-12-15T00:00:00Z' }),
    ]);
    expect((await priceOf('t-jan'))!.cost).toBe('1.0000000000');
    expect((await priceOf('t-feb'))!.cost).toBe('2.0000000000');
    expect((await priceOf('t-dec'))!.cost_source).toBe('UNPRICED');
  });

  it('recomputes stored costs after a price change, leaving provided costs alone', async () => {
    await ingest([
      logInput({
        eventId: 'r-1',
        appId: 'recompute',
        provider: 'reco',
        model: 'r-1',
        inputTokens: 2_000_000,
        timestamp: '2026-04-01T10:00:00Z',
      }),
      logInput({
        eventId: 'r-2',
        appId: 'recompute',
        provider: 'reco',
        model: 'r-1',
        inputTokens: 1_000_000,
        timestamp: '2026-04-01T11:00:00Z',
      }),
      logInput({ eventId: 'r-3', appId: 'recompute', provider: 'reco', model: 'r-1', cost: '9', timestamp: '2026-04-01T12:00:00Z' }),
      logInput({
        eventId: 'r-out',
        appId: 'recompute',
        provider: 'reco',
        model: 'r-1',
        inputTokens: 1_000_000,
        timestamp: '2026-05-01T12:00:00Z',
      }),
    ]);
    expect((await priceOf('r-1'))!.cost_source).toBe('UNPRICED');
    const config = await create({ provider: 'reco', model: 'r-1', inputPricePerMillion: '1.5', outputPricePerMillion: '0' });
    const range = { from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' };
    const preview = await sut.gql<{ previewRecomputeCosts: Record<string, unknown> }>(PREVIEW, { range, filter: { appId: 'recompute' } });
    expect(preview.data!.previewRecomputeCosts).toEqual({ scanned: 2, changed: 2, costBefore: '0', costAfter: '4.5' });
    expect((await priceOf('r-1'))!.cost_source).toBe('UNPRICED');
    const first = await sut.gql<{ recomputeCosts: { scanned: number; updated: number } }>(RECOMPUTE, {
      range,
      filter: { appId: 'recompute' },
    });
    expect(first.data!.recomputeCosts).toEqual({ scanned: 2, updated: 2 });
    expect(await priceOf('r-1')).toMatchObject({ cost: '3.0000000000', cost_source: 'CONFIG' });
    expect(await priceOf('r-3')).toMatchObject({ cost: '9.0000000000', cost_source: 'PROVIDED' });
    expect((await priceOf('r-out'))!.cost_source).toBe('UNPRICED');

    const again = await sut.gql<{ recomputeCosts: { updated: number } }>(RECOMPUTE, { range, filter: { appId: 'recompute' } });
    expect(again.data!.recomputeCosts.updated).toBe(0);

    await sut.gql(UPDATE, {
      id: config.id,
      input: { provider: 'reco', model: 'r-1', inputPricePerMillion: '2', outputPricePerMillion: '0' },
    });
    const changePreview = await sut.gql<{ previewRecomputeCosts: Record<string, unknown> }>(PREVIEW, { range, filter: { model: 'r-1' } });
    expect(changePreview.data!.previewRecomputeCosts).toEqual({ scanned: 2, changed: 2, costBefore: '4.5', costAfter: '6' });
    expect((await priceOf('r-2'))!.cost).toBe('1.5000000000');
    const afterChange = await sut.gql<{ recomputeCosts: { updated: number } }>(RECOMPUTE, { range, filter: { model: 'r-1' } });
    expect(afterChange.data!.recomputeCosts.updated).toBe(2);
    expect((await priceOf('r-2'))!.cost).toBe('2.0000000000');
  });

  it('lists the price in effect for each model called, from the cost table, the bundled data or none', async () => {
    const recent = new Date(Date.now() - 60_000).toISOString();
    await ingest([
      logInput({ eventId: 'ep-1', provider: 'mistral', model: 'mistral-large-latest', timestamp: recent }),
      logInput({ eventId: 'ep-2', provider: 'mistral', model: 'mistral-large-latest', timestamp: recent }),
      logInput({ eventId: 'ep-3', provider: 'effective', model: 'e-1', timestamp: recent }),
      logInput({ eventId: 'ep-4', provider: 'nowhere', model: 'unknown-model-x', timestamp: recent }),
    ]);
    const config = await create({
      provider: 'effective',
      model: 'e-1',
      inputPricePerMillion: '1.25',
      outputPricePerMillion: '5',
      currency: 'EUR',
    });
    const result = await sut.gql<{ effectivePrices: Array<Record<string, unknown>> }>(
      '{ effectivePrices(days: 1) { provider model calls source configId inputPricePerMillion outputPricePerMillion currency } }',
    );
    const byModel = new Map(result.data!.effectivePrices.map((price) => [price.model, price]));
    expect(byModel.get('mistral-large-latest')).toMatchObject({
      provider: 'mistral',
      calls: 2,
      source: 'BUILTIN',
      configId: null,
      currency: 'USD',
    });
    expect(Number(byModel.get('mistral-large-latest')!.inputPricePerMillion)).toBeGreaterThan(0);
    expect(byModel.get('e-1')).toEqual({
      provider: 'effective',
      model: 'e-1',
      calls: 1,
      source: 'CONFIG',
      configId: config.id,
      inputPricePerMillion: '1.25',
      outputPricePerMillion: '5',
      currency: 'EUR',
    });
    expect(byModel.get('unknown-model-x')).toMatchObject({ source: 'UNPRICED', inputPricePerMillion: null, currency: null });
    const calls = result.data!.effectivePrices.map((price) => price.calls as number);
    expect(calls).toEqual([...calls].sort((a, b) => b - a));
    const refused = await sut.gql('{ effectivePrices(days: 0) { model } }');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses a recompute range that ends before it starts', async () => {
    const result = await sut.gql(RECOMPUTE, { range: { from: '2026-04-02T00:00:00Z', to: '2026-04-01T00:00:00Z' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'range' });
  });
  it('refuses a modelPattern RE2 cannot match, naming the field', async () => {
    const result = await sut.gql(CREATE, {
      input: { provider: 'acme', modelPattern: '(?=acme)acme-\\d+', inputPricePerMillion: 1, outputPricePerMillion: 1 },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'modelPattern' });
  });

  it('prices a log whose model name would make a backtracking pattern run for hours', async () => {
    await create({ provider: 'redos', modelPattern: '^(a+)+$', inputPricePerMillion: 1, outputPricePerMillion: 1 });
    const evil = logInput({ provider: 'redos', model: `${'a'.repeat(60)}!` });
    const matching = logInput({ provider: 'redos', model: 'a'.repeat(60) });
    await ingest([evil, matching]);
    expect((await priceOf(evil.eventId as string))!.cost_source).not.toBe('CONFIG');
    expect((await priceOf(matching.eventId as string))!.cost_source).toBe('CONFIG');
  });
});
