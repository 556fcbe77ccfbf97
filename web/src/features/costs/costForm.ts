import { fromDateTimeLocal, toDateTimeLocal } from '../../components/dateTimeLocal';
import type { Problem } from '../../composables/useEditorForm';
import type { CostConfigFieldsFragment, CostConfigInput } from '../../graphql/generated/operations';

/** The ISO 4217 currency codes in use, as the browser's Intl lists them (the server checks against Node's). */
export const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** A price entry as the editor holds it: every value a string, exactly as typed. */
export interface CostForm {
  provider: string;
  matchKind: 'model' | 'pattern';
  model: string;
  modelPattern: string;
  inputPricePerMillion: string;
  outputPricePerMillion: string;
  cachedInputPricePerMillion: string;
  currency: string;
  /** A datetime-local value in the viewer's timezone; '' means "always". */
  effectiveFrom: string;
}

/** The input fields of CostConfigInput, which are also the `field` of the API's BAD_USER_INPUT errors. */
export const COST_FIELDS = [
  'provider',
  'model',
  'modelPattern',
  'inputPricePerMillion',
  'outputPricePerMillion',
  'cachedInputPricePerMillion',
  'currency',
  'effectiveFrom',
] as const;
export type CostField = (typeof COST_FIELDS)[number];

// The server's rules (server/src/costs/cost-config.validation.ts, graphql/scalars.ts Decimal). Prices
// are stored as NUMERIC(20, 10): the API takes 12 decimals but would round the last two away, so the
// form allows the 10 that are kept.
const PROVIDER_MAX = 64;
const MODEL_MAX = 128;
const PATTERN_MAX = 200;
const DECIMAL = /^\d{1,18}(\.\d{1,10})?$/;
const MAX_PRICE = 1_000_000n;

export function emptyCostForm(): CostForm {
  return {
    provider: '',
    matchKind: 'model',
    model: '',
    modelPattern: '',
    inputPricePerMillion: '',
    outputPricePerMillion: '',
    cachedInputPricePerMillion: '',
    currency: 'USD',
    effectiveFrom: '',
  };
}

export function formFromConfig(config: CostConfigFieldsFragment): CostForm {
  return {
    provider: config.provider,
    matchKind: config.modelPattern ? 'pattern' : 'model',
    model: config.model ?? '',
    modelPattern: config.modelPattern ?? '',
    inputPricePerMillion: config.inputPricePerMillion,
    outputPricePerMillion: config.outputPricePerMillion,
    cachedInputPricePerMillion: config.cachedInputPricePerMillion ?? '',
    currency: config.currency,
    effectiveFrom: config.effectiveFrom ? toDateTimeLocal(config.effectiveFrom) : '',
  };
}

/** Compares a decimal string with a bound exactly (no floating point): "1000000.000001" is over. */
export function decimalAtMost(value: string, max: bigint): boolean {
  const [whole, fraction = ''] = value.split('.');
  const integer = BigInt(whole!);
  return integer < max || (integer === max && /^0*$/.test(fraction));
}

function checkPrice(value: string, required: boolean): Problem | null {
  const text = value.trim();
  if (text === '') return required ? { key: 'required' } : null;
  if (/^-\d/.test(text)) return { key: 'priceRange' };
  if (!DECIMAL.test(text)) return { key: 'decimal' };
  return decimalAtMost(text, MAX_PRICE) ? null : { key: 'priceRange' };
}

function checkPattern(pattern: string): Problem | null {
  if (pattern === '') return { key: 'required' };
  if (pattern.length > PATTERN_MAX) return { key: 'tooLong', params: { max: PATTERN_MAX } };
  try {
    // The server matches the whole model name, case-insensitively, with the same engine (V8).
    new RegExp(`^(?:${pattern})$`, 'i');
    return null;
  } catch (error) {
    return { key: 'pattern', params: { reason: (error as Error).message } };
  }
}

/** Every problem the server would report, found before sending; empty when the form is valid. */
export function validateCostForm(form: CostForm): Partial<Record<CostField, Problem>> {
  const problems: Partial<Record<CostField, Problem>> = {};
  const add = (field: CostField, problem: Problem | null) => {
    if (problem) problems[field] = problem;
  };
  const provider = form.provider.trim();
  add(
    'provider',
    provider === '' ? { key: 'required' } : provider.length > PROVIDER_MAX ? { key: 'tooLong', params: { max: PROVIDER_MAX } } : null,
  );
  if (form.matchKind === 'model') {
    const model = form.model.trim();
    add('model', model === '' ? { key: 'required' } : model.length > MODEL_MAX ? { key: 'tooLong', params: { max: MODEL_MAX } } : null);
  } else {
    add('modelPattern', checkPattern(form.modelPattern.trim()));
  }
  add('inputPricePerMillion', checkPrice(form.inputPricePerMillion, true));
  add('outputPricePerMillion', checkPrice(form.outputPricePerMillion, true));
  add('cachedInputPricePerMillion', checkPrice(form.cachedInputPricePerMillion, false));
  add('currency', CURRENCIES.has(form.currency.trim().toUpperCase()) ? null : { key: 'currency' });
  add('effectiveFrom', form.effectiveFrom !== '' && fromDateTimeLocal(form.effectiveFrom) === null ? { key: 'date' } : null);
  return problems;
}

/** The API input for a valid form; prices stay the strings that were typed. */
export function toCostInput(form: CostForm): CostConfigInput {
  const byPattern = form.matchKind === 'pattern';
  return {
    provider: form.provider.trim(),
    model: byPattern ? null : form.model.trim(),
    modelPattern: byPattern ? form.modelPattern.trim() : null,
    inputPricePerMillion: form.inputPricePerMillion.trim(),
    outputPricePerMillion: form.outputPricePerMillion.trim(),
    cachedInputPricePerMillion: form.cachedInputPricePerMillion.trim() || null,
    currency: form.currency.trim().toUpperCase(),
    effectiveFrom: form.effectiveFrom ? fromDateTimeLocal(form.effectiveFrom) : null,
  };
}
