import { describe, expect, it } from 'vitest';

import { validateCostConfig } from './cost-config.validation.js';
import type { CostConfigInput } from './cost.types.js';

const input = (overrides: Partial<CostConfigInput> = {}) =>
  ({ provider: 'openai', model: 'gpt-4o', inputPricePerMillion: '2.5', outputPricePerMillion: '10', ...overrides }) as CostConfigInput;

const refusal = (overrides: Partial<CostConfigInput>) => {
  try {
    validateCostConfig(input(overrides));
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
  return undefined;
};

describe(validateCostConfig.name, () => {
  it('normalises a valid config: trimmed names, exact decimals, USD by default', () => {
    expect(validateCostConfig(input({ provider: ' openai ', inputPricePerMillion: '2.50', cachedInputPricePerMillion: '1.25' }))).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
      modelPattern: null,
      inputPricePerMillion: '2.5',
      outputPricePerMillion: '10',
      cachedInputPricePerMillion: '1.25',
      currency: 'USD',
      effectiveFrom: null,
    });
  });

  it('refuses each bad field by name', () => {
    expect(refusal({ provider: ' ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'provider' });
    expect(refusal({ modelPattern: 'gpt-.*' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'model' });
    expect(refusal({ model: null, modelPattern: '(?=a)b' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'modelPattern' });
    expect(refusal({ inputPricePerMillion: '-1' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inputPricePerMillion' });
    expect(refusal({ outputPricePerMillion: '1000001' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'outputPricePerMillion' });
  });

  it('takes ISO 4217 currency codes only', () => {
    expect(validateCostConfig(input({ currency: ' cny ' })).currency).toBe('CNY');
    expect(validateCostConfig(input({ currency: 'EUR' })).currency).toBe('EUR');
    for (const currency of ['dol', 'XYZ', 'US', 'USDT', '']) {
      expect(refusal({ currency })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currency' });
    }
  });

  it('accepts a linear-time pattern that would backtrack exponentially elsewhere', () => {
    expect(validateCostConfig(input({ model: null, modelPattern: '^(a+)+$' })).modelPattern).toBe('^(a+)+$');
  });
});
