import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';

import { CostSource } from '../logs/log-price.types.js';
import { BuiltinPrices } from './cost.builtin-prices.js';
import { compileModelPattern } from './cost.model-pattern.js';
import { priceLog, PriceTable, tokenCost, type PriceRule, type PricingInput } from './cost.pricing.js';

let nextId = 0;
type RuleOverrides = Omit<Partial<PriceRule>, 'input' | 'output'> & { input: string; output: string };
const rule = ({ input, output, ...overrides }: RuleOverrides): PriceRule => ({
  id: `rule-${++nextId}`,
  provider: 'openai',
  model: null,
  pattern: null,
  cachedInput: null,
  currency: 'USD',
  effectiveFrom: Number.NEGATIVE_INFINITY,
  createdAt: nextId,
  ...overrides,
  input: new Decimal(input),
  output: new Decimal(output),
});

const call = (overrides: Partial<PricingInput> = {}): PricingInput => ({
  provider: 'openai',
  model: 'gpt-4o',
  timestamp: new Date('2026-06-01T00:00:00Z'),
  inputTokens: 1_000_000,
  outputTokens: 1_000_000,
  cachedInputTokens: 0,
  providedCost: null,
  currency: 'USD',
  ...overrides,
});

const builtin = new BuiltinPrices();

describe(priceLog.name, () => {
  it('prefers a cost the client sent over everything else', () => {
    const table = new PriceTable([rule({ model: 'gpt-4o', input: '1', output: '1' })]);
    expect(priceLog(call({ providedCost: '0.42' }), table, builtin)).toEqual({
      cost: '0.42',
      source: CostSource.PROVIDED,
      configId: null,
      currency: 'USD',
    });
  });

  it('prefers an exact model name over a pattern, whatever their dates', () => {
    const exact = rule({ model: 'gpt-4o', input: '1', output: '2' });
    const pattern = rule({ pattern: compileModelPattern('gpt-4.*'), input: '5', output: '5', effectiveFrom: Date.parse('2026-01-01') });
    const sut = priceLog(call(), new PriceTable([pattern, exact]), builtin);
    expect(sut).toMatchObject({ cost: '3', source: CostSource.CONFIG, configId: exact.id });
  });

  it('uses the newest price in effect at the log time, not one from its future', () => {
    const old = rule({ model: 'gpt-4o', input: '1', output: '1', effectiveFrom: Date.parse('2025-01-01') });
    const current = rule({ model: 'gpt-4o', input: '2', output: '2', effectiveFrom: Date.parse('2026-01-01') });
    const future = rule({ model: 'gpt-4o', input: '9', output: '9', effectiveFrom: Date.parse('2027-01-01') });
    const table = new PriceTable([old, future, current]);
    expect(priceLog(call(), table, builtin).configId).toBe(current.id);
    expect(priceLog(call({ timestamp: new Date('2025-06-01') }), table, builtin).configId).toBe(old.id);
    expect(priceLog(call({ timestamp: new Date('2024-06-01') }), table, builtin).source).toBe(CostSource.BUILTIN);
  });

  it('matches patterns against the whole model name, ignoring case, and providers ignoring case', () => {
    const table = new PriceTable([rule({ provider: 'Qwen', pattern: compileModelPattern('qwen-(max|plus)'), input: '1', output: '1' })]);
    expect(priceLog(call({ provider: 'qwen', model: 'QWEN-max' }), table, builtin).source).toBe(CostSource.CONFIG);
    expect(priceLog(call({ provider: 'qwen', model: 'qwen-max-2025' }), table, builtin).source).toBe(CostSource.UNPRICED);
  });

  it('falls back to the bundled price data for well-known models', () => {
    const sut = priceLog(call({ inputTokens: 1000, outputTokens: 100 }), new PriceTable([]), builtin);
    // gpt-4o: $2.50 input and $10 output per million tokens
    expect(sut).toEqual({ cost: '0.0035', source: CostSource.BUILTIN, configId: null, currency: 'USD' });
  });

  it('knows providers under common aliases', () => {
    const sut = priceLog(
      call({ provider: 'gemini', model: 'gemini-2.5-pro', inputTokens: 1000, outputTokens: 0 }),
      new PriceTable([]),
      builtin,
    );
    expect(sut).toMatchObject({ source: CostSource.BUILTIN, cost: '0.00125' });
  });

  it('applies the tier a long prompt reaches to the whole call', () => {
    const sut = priceLog(
      call({ provider: 'google', model: 'gemini-2.5-pro', inputTokens: 300_000, outputTokens: 0 }),
      new PriceTable([]),
      builtin,
    );
    expect(sut.cost).toBe('0.75');
  });

  it('leaves unknown models unpriced', () => {
    expect(priceLog(call({ provider: 'acme', model: 'acme-1' }), new PriceTable([]), builtin)).toEqual({
      cost: null,
      source: CostSource.UNPRICED,
      configId: null,
      currency: 'USD',
    });
  });
});

describe(tokenCost.name, () => {
  it('computes in exact decimals', () => {
    // 0.1 + 0.2 style sums would drift in binary floating point.
    const prices = { input: new Decimal('0.1'), output: new Decimal('0.2'), cachedInput: null };
    expect(tokenCost(prices, 3, 3, 0)).toBe('0.0000009');
    expect(tokenCost({ input: new Decimal('2.5'), output: new Decimal('10'), cachedInput: null }, 1234, 567, 0)).toBe('0.008755');
  });

  it('prices cached input tokens at the cached price, and at the input price when there is none', () => {
    const withCached = { input: new Decimal('2'), output: new Decimal('0'), cachedInput: new Decimal('0.5') };
    expect(tokenCost(withCached, 1_000_000, 0, 400_000)).toBe('1.4');
    expect(tokenCost({ ...withCached, cachedInput: null }, 1_000_000, 0, 400_000)).toBe('2');
  });

  it('rounds to ten decimal places', () => {
    expect(tokenCost({ input: new Decimal('0.000001'), output: new Decimal('0'), cachedInput: null }, 1, 0, 0)).toBe('0');
    expect(tokenCost({ input: new Decimal('0.15'), output: new Decimal('0'), cachedInput: null }, 1, 0, 0)).toBe('0.00000015');
  });
});
