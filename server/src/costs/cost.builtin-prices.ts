import { calcPrice, type ModelInfo, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices';
import { Decimal } from 'decimal.js';

import type { FallbackPrices, TokenPrices } from './cost.pricing.js';

/**
 * Prices from the `@pydantic/genai-prices` package (maintained public price data for OpenAI, Anthropic,
 * Google, DeepSeek, Mistral, xAI and many more), used when the cost table has no row for a model.
 * The package finds the model; the price is read from its data and computed here in decimal, since
 * the package's own arithmetic is binary floating point.
 */
export class BuiltinPrices implements FallbackPrices {
  private readonly models = new Map<string, ModelInfo | null>();

  pricesFor(provider: string, model: string, at: Date, inputTokens: number): TokenPrices | null {
    const info = this.lookup(provider, model);
    if (!info) return null;
    const price = activePrice(info, at);
    const input = perMillion(price.input_mtok, inputTokens);
    const output = perMillion(price.output_mtok, inputTokens);
    if (input === null || output === null) return null;
    return { input, output, cachedInput: perMillion(price.cache_read_mtok, inputTokens) };
  }

  private lookup(provider: string, model: string): ModelInfo | null {
    const key = `${provider.toLowerCase()}\u0000${model}`;
    let info = this.models.get(key);
    if (info === undefined) {
      info = findModel(provider.toLowerCase(), model);
      // Bounded: model names come from clients.
      if (this.models.size >= 5_000) this.models.clear();
      this.models.set(key, info);
    }
    return info;
  }
}

// Names clients use for providers that the price data knows under another id.
const PROVIDER_ALIASES: Record<string, string> = {
  gemini: 'google',
  'google-vertex': 'google',
  vertex: 'google',
  'azure-openai': 'azure',
  bedrock: 'aws',
  'aws-bedrock': 'aws',
  xai: 'x-ai',
  grok: 'x-ai',
  moonshot: 'moonshotai',
  kimi: 'moonshotai',
};

function findModel(provider: string, model: string): ModelInfo | null {
  const usage = { input_tokens: 1, output_tokens: 1 };
  const providerId = PROVIDER_ALIASES[provider] ?? provider;
  try {
    const found = calcPrice(usage, model, { providerId }) ?? calcPrice(usage, model);
    return found?.model ?? null;
  } catch {
    return null;
  }
}

/** The price in effect at a time, as the package chooses it: the last conditional price whose constraint holds. */
function activePrice(model: ModelInfo, at: Date): ModelPrice {
  if (!Array.isArray(model.prices)) return model.prices;
  for (let i = model.prices.length - 1; i >= 0; i--) {
    const { constraint, prices } = model.prices[i]!;
    if (!constraint) return prices;
    if (constraint.type === 'start_date' && at >= new Date(constraint.start_date)) return prices;
    if (constraint.type === 'time_of_date') {
      const seconds = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds();
      const start = secondsOfDay(constraint.start_time);
      const end = secondsOfDay(constraint.end_time);
      const inside = end < start ? seconds >= start || seconds < end : seconds >= start && seconds < end;
      if (inside) return prices;
    }
  }
  return model.prices[0]!.prices;
}

function secondsOfDay(time: string): number {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/** A per-million price; tiered prices apply the tier that the call's input tokens reach, to the whole call. */
function perMillion(price: number | TieredPrices | undefined, inputTokens: number): Decimal | null {
  if (price === undefined) return null;
  if (typeof price === 'number') return new Decimal(String(price));
  let chosen = price.base;
  for (const tier of price.tiers) if (inputTokens > tier.start) chosen = tier.price;
  return new Decimal(String(chosen));
}
