import { Decimal } from 'decimal.js';
import { CostSource, type LogPrice } from '../logs/log-price.types.js';

/** What pricing reads of a log. */
export interface PricingInput {
  provider: string;
  model: string;
  timestamp: Date;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  providedCost: string | null;
  currency: string;
}

/** A price as pricing finds it: what a log stores. */
export type Price = LogPrice;

/** A cost table row in the form pricing needs it. */
export interface PriceRule {
  id: string;
  provider: string;
  model: string | null;
  pattern: RegExp | null;
  input: Decimal;
  output: Decimal;
  cachedInput: Decimal | null;
  currency: string;
  effectiveFrom: number;
  createdAt: number;
}

export interface TokenPrices {
  input: Decimal;
  output: Decimal;
  cachedInput: Decimal | null;
}

const MILLION = new Decimal(1_000_000);
const COST_DECIMALS = 10;

export function tokenCost(prices: TokenPrices, inputTokens: number, outputTokens: number, cachedInputTokens: number): string {
  const cached = Math.min(cachedInputTokens, inputTokens);
  const cost = prices.input
    .times(inputTokens - cached)
    .plus((prices.cachedInput ?? prices.input).times(cached))
    .plus(prices.output.times(outputTokens))
    .dividedBy(MILLION);
  return cost.toDecimalPlaces(COST_DECIMALS, Decimal.ROUND_HALF_EVEN).toFixed();
}

/** The cost table, indexed by provider, for pricing many logs against one snapshot. */
export class PriceTable {
  private readonly byProvider = new Map<string, { exact: PriceRule[]; patterns: PriceRule[] }>();

  constructor(rules: PriceRule[]) {
    // Newest effectiveFrom first (then newest row), so the first rule in effect is the one that wins.
    const sorted = [...rules].sort((a, b) => b.effectiveFrom - a.effectiveFrom || b.createdAt - a.createdAt);
    for (const rule of sorted) {
      const key = rule.provider.toLowerCase();
      const entry = this.byProvider.get(key) ?? { exact: [], patterns: [] };
      (rule.model !== null ? entry.exact : entry.patterns).push(rule);
      this.byProvider.set(key, entry);
    }
  }

  find(provider: string, model: string, at: Date): PriceRule | undefined {
    const entry = this.byProvider.get(provider.toLowerCase());
    if (!entry) return undefined;
    const time = at.getTime();
    const lowerModel = model.toLowerCase();
    return (
      entry.exact.find((rule) => rule.effectiveFrom <= time && rule.model!.toLowerCase() === lowerModel) ??
      entry.patterns.find((rule) => rule.effectiveFrom <= time && rule.pattern!.test(model))
    );
  }
}

/** Prices for a model when the cost table has none: the bundled public price data (BuiltinPrices). */
export interface FallbackPrices {
  pricesFor(provider: string, model: string, at: Date, inputTokens: number): TokenPrices | null;
}

/**
 * Prices one model call. The order, first match wins:
 *   1. a cost the client sent (PROVIDED);
 *   2. the cost table (CONFIG): among rows for the log's provider in effect at its timestamp, an exact
 *      model name beats a pattern, and a newer effectiveFrom beats an older one;
 *   3. the bundled public price data (BUILTIN);
 *   4. no price (UNPRICED, cost null).
 * All arithmetic is decimal; prices are per million tokens and inputTokens includes cached tokens.
 */
export function priceLog(input: PricingInput, table: PriceTable, builtin: FallbackPrices): Price {
  if (input.providedCost !== null) {
    return { cost: input.providedCost, source: CostSource.PROVIDED, configId: null, currency: input.currency };
  }
  const rule = table.find(input.provider, input.model, input.timestamp);
  if (rule) {
    return {
      cost: tokenCost(rule, input.inputTokens, input.outputTokens, input.cachedInputTokens),
      source: CostSource.CONFIG,
      configId: rule.id,
      currency: rule.currency,
    };
  }
  const builtinPrices = builtin.pricesFor(input.provider, input.model, input.timestamp, input.inputTokens);
  if (builtinPrices) {
    return {
      cost: tokenCost(builtinPrices, input.inputTokens, input.outputTokens, input.cachedInputTokens),
      source: CostSource.BUILTIN,
      configId: null,
      currency: 'USD',
    };
  }
  return { cost: null, source: CostSource.UNPRICED, configId: null, currency: input.currency };
}

/** Compiles a stored pattern the way pricing applies it: the whole model name, ignoring case. */
export function compileModelPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'i');
}
