import { describe, expect, it } from 'vitest';

import { decimalAtMost, emptyCostForm, formFromConfig, toCostInput, validateCostForm, type CostForm } from './costForm';

const valid: CostForm = {
  ...emptyCostForm(),
  provider: 'qwen',
  model: 'qwen-max',
  inputPricePerMillion: '1.6',
  outputPricePerMillion: '6.4',
};
const problemsOf = (change: Partial<CostForm>) => validateCostForm({ ...valid, ...change });

describe('validateCostForm', () => {
  it('accepts a complete price and finds nothing', () => {
    expect(validateCostForm(valid)).toEqual({});
  });

  it('requires a provider of at most 64 characters and the model (or pattern) the form applies to', () => {
    expect(problemsOf({ provider: '  ' })).toEqual({ provider: { key: 'required' } });
    expect(problemsOf({ provider: 'p'.repeat(65) })).toEqual({ provider: { key: 'tooLong', params: { max: 64 } } });
    expect(problemsOf({ model: '' })).toEqual({ model: { key: 'required' } });
    expect(problemsOf({ model: 'm'.repeat(129) })).toEqual({ model: { key: 'tooLong', params: { max: 128 } } });
    expect(problemsOf({ matchKind: 'pattern', modelPattern: '' })).toEqual({ modelPattern: { key: 'required' } });
  });

  it('checks a pattern as the server compiles it', () => {
    expect(problemsOf({ matchKind: 'pattern', modelPattern: 'qwen-(max|plus)' })).toEqual({});
    expect(problemsOf({ matchKind: 'pattern', modelPattern: 'qwen-(max' }).modelPattern?.key).toBe('pattern');
    expect(problemsOf({ matchKind: 'pattern', modelPattern: 'x'.repeat(201) }).modelPattern).toEqual({
      key: 'tooLong',
      params: { max: 200 },
    });
  });

  it('takes prices as exact decimals between 0 and 1,000,000 with the 10 decimals the server keeps', () => {
    expect(problemsOf({ inputPricePerMillion: '0.0000000001', outputPricePerMillion: '1000000.0000' })).toEqual({});
    expect(problemsOf({ inputPricePerMillion: '' })).toEqual({ inputPricePerMillion: { key: 'required' } });
    expect(problemsOf({ inputPricePerMillion: '1,5' })).toEqual({ inputPricePerMillion: { key: 'decimal' } });
    expect(problemsOf({ inputPricePerMillion: '1e-6' })).toEqual({ inputPricePerMillion: { key: 'decimal' } });
    expect(problemsOf({ inputPricePerMillion: '0.00000000001' })).toEqual({ inputPricePerMillion: { key: 'decimal' } });
    expect(problemsOf({ outputPricePerMillion: '-1' })).toEqual({ outputPricePerMillion: { key: 'priceRange' } });
    expect(problemsOf({ outputPricePerMillion: '1000000.0000000001' })).toEqual({ outputPricePerMillion: { key: 'priceRange' } });
    expect(problemsOf({ cachedInputPricePerMillion: '' })).toEqual({});
    expect(problemsOf({ cachedInputPricePerMillion: 'free' })).toEqual({ cachedInputPricePerMillion: { key: 'decimal' } });
  });

  it('wants an ISO 4217 currency and a real date when one is given', () => {
    expect(problemsOf({ currency: 'cny' })).toEqual({});
    expect(problemsOf({ currency: 'US' })).toEqual({ currency: { key: 'currency' } });
    expect(problemsOf({ currency: 'dol' })).toEqual({ currency: { key: 'currency' } });
    expect(problemsOf({ currency: 'XYZ' })).toEqual({ currency: { key: 'currency' } });
    expect(problemsOf({ effectiveFrom: 'not a date' })).toEqual({ effectiveFrom: { key: 'date' } });
  });
});

describe('decimalAtMost', () => {
  it('compares digit by digit, beyond what a float can hold', () => {
    expect(decimalAtMost('999999.9999999999', 1_000_000n)).toBe(true);
    expect(decimalAtMost('1000000.000', 1_000_000n)).toBe(true);
    expect(decimalAtMost('1000000.0000000001', 1_000_000n)).toBe(false);
    expect(decimalAtMost('12345678901234567', 1_000_000n)).toBe(false);
  });
});

describe('toCostInput and formFromConfig', () => {
  it('send the prices exactly as typed, the chosen match only, and the currency in capitals', () => {
    expect(toCostInput({ ...valid, inputPricePerMillion: ' 0.1000000001 ', modelPattern: 'ignored', currency: 'cny ' })).toEqual({
      provider: 'qwen',
      model: 'qwen-max',
      modelPattern: null,
      inputPricePerMillion: '0.1000000001',
      outputPricePerMillion: '6.4',
      cachedInputPricePerMillion: null,
      currency: 'CNY',
      effectiveFrom: null,
    });
  });

  it('turn a stored pattern price back into the same input', () => {
    const config = {
      id: '1',
      provider: 'qwen',
      model: null,
      modelPattern: 'qwen-turbo.*',
      inputPricePerMillion: '0.05',
      outputPricePerMillion: '0.2',
      cachedInputPricePerMillion: '0.01',
      currency: 'USD',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const form = formFromConfig(config);
    expect(form.matchKind).toBe('pattern');
    expect(toCostInput(form)).toEqual({
      provider: 'qwen',
      model: null,
      modelPattern: 'qwen-turbo.*',
      inputPricePerMillion: '0.05',
      outputPricePerMillion: '0.2',
      cachedInputPricePerMillion: '0.01',
      currency: 'USD',
      effectiveFrom: '2026-01-01T00:00:00.000Z',
    });
  });
});
