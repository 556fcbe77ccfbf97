import { Decimal } from 'decimal.js';

import { CostSource, type LogPrice } from '../logs/log-price.types.js';
import type { ModelPattern } from './cost.model-pattern.js';

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
  pattern: ModelPattern | null;
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

// Distinct (provider, model) pairs remembered per table; past this the memory starts over.
const MAX_CACHED_MODELS = 10_000;

/**
 * The cost table, indexed by provider, for pricing many logs against one snapshot. The rules that
 * match a (provider, model) pair are found once per snapshot (a new snapshot is a new table), so a
 * batch of a thousand calls to one model runs each pattern once.
 */
export class PriceTable {
  private readonly byProvider = new Map<string, { exact: PriceRule[]; patterns: PriceRule[] }>();
  private readonly matching = new Map<string, PriceRule[]>();

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
    const time = at.getTime();
    return this.rulesFor(provider, model).find((rule) => rule.effectiveFrom <= time);
  }

  /** Rules that match, in the order they win: exact names (newest first), then patterns (newest first). */
  private rulesFor(provider: string, model: string): PriceRule[] {
    const key = `${provider.toLowerCase()}\u0000${model}`;
    const cached = this.matching.get(key);
    if (cached) return cached;
    const entry = this.byProvider.get(provider.toLowerCase());
    const lowerModel = model.toLowerCase();
    const rules = entry
      ? [
          ...entry.exact.filter((rule) => rule.model!.toLowerCase() === lowerModel),
          ...entry.patterns.filter((rule) => rule.pattern!.matches(model)),
        ]
      : [];
    if (this.matching.size >= MAX_CACHED_MODELS) this.matching.clear();
    this.matching.set(key, rules);
    return rules;
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
