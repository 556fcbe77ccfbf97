import { Decimal } from 'decimal.js';

import { badUserInput } from '../graphql/errors.js';
import { compileModelPattern, ModelPatternError } from './cost.model-pattern.js';
import type { CostConfigInput } from './cost.types.js';

const MAX_PATTERN_LENGTH = 200;
const MAX_PRICE = new Decimal('1000000');
/** The ISO 4217 currency codes in use, as Node's ICU data lists them. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Validates a whole cost config and returns it normalised. */
export function validateCostConfig(input: CostConfigInput) {
  const provider = input.provider?.trim() ?? '';
  if (provider.length === 0 || provider.length > 64) throw badUserInput('provider', 'must be 1 to 64 characters');
  const model = input.model?.trim() || null;
  const modelPattern = input.modelPattern?.trim() || null;
  if ((model === null) === (modelPattern === null)) throw badUserInput('model', 'give either model or modelPattern, not both or neither');
  if (model && model.length > 128) throw badUserInput('model', 'must be at most 128 characters');
  if (modelPattern) {
    if (modelPattern.length > MAX_PATTERN_LENGTH) throw badUserInput('modelPattern', `must be at most ${MAX_PATTERN_LENGTH} characters`);
    try {
      compileModelPattern(modelPattern);
    } catch (error) {
      if (error instanceof ModelPatternError) throw badUserInput('modelPattern', error.message);
      throw error;
    }
  }
  const price = (
    field: 'inputPricePerMillion' | 'outputPricePerMillion' | 'cachedInputPricePerMillion',
    value: string | null | undefined,
  ) => {
    if (value == null) return null;
    const decimal = new Decimal(value);
    if (decimal.isNegative() || decimal.gt(MAX_PRICE)) throw badUserInput(field, 'must be between 0 and 1000000');
    return decimal.toFixed();
  };
  const currency = (input.currency ?? 'USD').trim().toUpperCase();
  if (!CURRENCIES.has(currency)) throw badUserInput('currency', 'must be an ISO 4217 currency code such as USD or CNY');
  const inputPrice = price('inputPricePerMillion', input.inputPricePerMillion);
  const outputPrice = price('outputPricePerMillion', input.outputPricePerMillion);
  if (inputPrice === null) throw badUserInput('inputPricePerMillion', 'is required');
  if (outputPrice === null) throw badUserInput('outputPricePerMillion', 'is required');
  return {
    provider,
    model,
    modelPattern,
    inputPricePerMillion: inputPrice,
    outputPricePerMillion: outputPrice,
    cachedInputPricePerMillion: price('cachedInputPricePerMillion', input.cachedInputPricePerMillion),
    currency,
    effectiveFrom: input.effectiveFrom ?? null,
  };
}
