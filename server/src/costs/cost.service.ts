import { UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/postgresql';
import { Decimal } from 'decimal.js';
import type { Logger } from 'pino';

import { SqlParams } from '../db/sql-params.js';
import type { Sql, SqlQuery } from '../db/sql.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { checkRange, type TimeRange } from '../graphql/time-range.js';
import { CostSource } from '../logs/log-price.types.js';
import type { MetricsFilter } from '../logs/log.types.js';
import { logConditions, whereClause } from '../logs/log.where.js';
import { ModelCostConfig } from './cost-config.entity.js';
import { validateCostConfig } from './cost-config.validation.js';
import { BuiltinPrices } from './cost.builtin-prices.js';
import { compileModelPattern, ModelPatternError, type ModelPattern } from './cost.model-pattern.js';
import { priceLog, PriceTable, type Price, type PriceRule, type PricingInput } from './cost.pricing.js';
import type { CostConfigInput, EffectivePrice, RecomputePreview, RecomputeResult } from './cost.types.js';

// Cost table changes made on this replica apply at once; those made on another within this time.
const TABLE_TTL_MS = 5_000;
const RECOMPUTE_BATCH = 2_000;

/** Called with each batch of re-priced logs, inside the transaction that updates them. */
export type RepricedListener = (query: SqlQuery, changes: RepricedLog[]) => Promise<void>;

export interface RepricedLog {
  id: string;
  oldCost: string | null;
  newCost: string | null;
}

export class CostService {
  private table?: { value: PriceTable; expiresAt: number };
  private readonly builtin = new BuiltinPrices();
  private readonly repricedListeners: RepricedListener[] = [];

  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
    private readonly log: Logger,
  ) {}

  /** Lets other features (metric rollups) follow cost changes made by recomputeCosts. */
  onRepriced(listener: RepricedListener): void {
    this.repricedListeners.push(listener);
  }

  async list(): Promise<ModelCostConfig[]> {
    return this.orm.em
      .fork()
      .find(ModelCostConfig, {}, { orderBy: { provider: 'asc', model: 'asc', modelPattern: 'asc', effectiveFrom: 'desc' } });
  }

  async create(input: CostConfigInput): Promise<ModelCostConfig> {
    const em = this.orm.em.fork();
    const config = em.create(ModelCostConfig, { ...validateCostConfig(input), createdAt: new Date(), updatedAt: new Date() });
    await this.save(() => em.flush());
    this.log.info({ configId: config.id, provider: config.provider, model: config.model ?? config.modelPattern }, 'cost config created');
    return config;
  }

  async update(id: string, input: CostConfigInput): Promise<ModelCostConfig> {
    const em = this.orm.em.fork();
    const config = await em.findOne(ModelCostConfig, { id: uuidOrThrow(id) });
    if (!config) throw notFound('Cost config', id);
    em.assign(config, { ...validateCostConfig(input), updatedAt: new Date() });
    await this.save(() => em.flush());
    return config;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.orm.em.fork().nativeDelete(ModelCostConfig, { id: uuidOrThrow(id) });
    if (deleted === 0) throw notFound('Cost config', id);
    this.table = undefined;
    return true;
  }

  /**
   * The price in effect now for every model called in the last `days` days (the most called first,
   * at most `limit`), from the cost table or the bundled price data, or none.
   */
  async effectivePrices(days: number, limit: number): Promise<EffectivePrice[]> {
    if (!Number.isInteger(days) || days < 1 || days > 366) throw badUserInput('days', 'must be a whole number from 1 to 366');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badUserInput('limit', 'must be a whole number from 1 to 1000');
    const rows = await this.sql.query<{ provider: string; model: string; calls: string }>(
      `select provider, model, count(*)::text as calls from app_log
        where ts >= now() - make_interval(days => $1::int)
        group by provider, model order by count(*) desc, provider, model limit $2`,
      [days, limit],
    );
    this.table = undefined;
    const table = await this.priceTable();
    const now = new Date();
    return rows.map(({ provider, model, calls }) => {
      const base = { provider, model, calls: Number(calls) };
      const rule = table.find(provider, model, now);
      if (rule) {
        return {
          ...base,
          source: CostSource.CONFIG,
          configId: rule.id,
          inputPricePerMillion: rule.input.toFixed(),
          outputPricePerMillion: rule.output.toFixed(),
          cachedInputPricePerMillion: rule.cachedInput?.toFixed() ?? null,
          currency: rule.currency,
        };
      }
      const builtin = this.builtin.pricesFor(provider, model, now, 0);
      if (builtin) {
        return {
          ...base,
          source: CostSource.BUILTIN,
          configId: null,
          inputPricePerMillion: builtin.input.toFixed(),
          outputPricePerMillion: builtin.output.toFixed(),
          cachedInputPricePerMillion: builtin.cachedInput?.toFixed() ?? null,
          currency: 'USD',
        };
      }
      return {
        ...base,
        source: CostSource.UNPRICED,
        configId: null,
        inputPricePerMillion: null,
        outputPricePerMillion: null,
        cachedInputPricePerMillion: null,
        currency: null,
      };
    });
  }

  /** Prices logs against one snapshot of the cost table. */
  async pricer(): Promise<(input: PricingInput) => Price> {
    const table = await this.priceTable();
    return (input) => priceLog(input, table, this.builtin);
  }

  /**
   * Re-prices the stored logs in a range (all but those whose cost the client sent), in batches of
   * one transaction each so that ingestion is never blocked for long.
   */
  async recompute(range: TimeRange, filter: MetricsFilter | null | undefined): Promise<RecomputeResult> {
    const { scanned, updated } = await this.reprice(range, filter, true);
    this.log.info({ range, filter, scanned, updated }, 'costs recomputed');
    return { scanned, updated };
  }

  /** What recompute would do, without writing: the logs it would change and the total cost before and after. */
  async previewRecompute(range: TimeRange, filter: MetricsFilter | null | undefined): Promise<RecomputePreview> {
    const { scanned, updated, costBefore, costAfter } = await this.reprice(range, filter, false);
    return { scanned, changed: updated, costBefore: costBefore.toFixed(), costAfter: costAfter.toFixed() };
  }

  private async reprice(range: TimeRange, filter: MetricsFilter | null | undefined, write: boolean) {
    checkRange(range);
    this.table = undefined;
    const price = await this.pricer();
    let scanned = 0;
    let updated = 0;
    let costBefore = new Decimal(0);
    let costAfter = new Decimal(0);
    let afterId: string | null = null;
    for (;;) {
      const params = new SqlParams();
      const conditions = [
        ...logConditions({ ...filter, from: range.from, to: range.to }, params),
        `l.cost_source <> '${CostSource.PROVIDED}'`,
      ];
      if (afterId) conditions.push(`l.id > ${params.add(afterId)}`);
      const rows = await this.sql.query<StoredPricing>(
        `select l.id, l.provider, l.model, l.ts, l.input_tokens, l.output_tokens, l.cached_input_tokens,
                l.cost, l.cost_source, l.cost_config_id, l.currency
           from app_log l ${whereClause(conditions)} order by l.id limit ${RECOMPUTE_BATCH}`,
        params.values,
      );
      if (rows.length === 0) break;
      scanned += rows.length;
      afterId = rows[rows.length - 1]!.id;
      const priced = rows.map((row) => ({ row, next: price(toPricingInput(row)) }));
      for (const { row, next } of priced) {
        if (row.cost != null) costBefore = costBefore.plus(row.cost);
        if (next.cost != null) costAfter = costAfter.plus(next.cost);
      }
      const changed = priced.filter(({ row, next }) => !samePrice(row, next));
      if (changed.length > 0 && write) {
        await this.sql.transaction(async (query) => {
          await query(
            `update app_log l set cost = u.cost, cost_source = u.cost_source, cost_config_id = u.cost_config_id, currency = u.currency
               from unnest($1::bigint[], $2::numeric[], $3::text[], $4::uuid[], $5::text[]) as u(id, cost, cost_source, cost_config_id, currency)
              where l.id = u.id`,
            [
              changed.map(({ row }) => row.id),
              changed.map(({ next }) => next.cost),
              changed.map(({ next }) => next.source),
              changed.map(({ next }) => next.configId),
              changed.map(({ next }) => next.currency),
            ],
          );
          const changes = changed.map(({ row, next }) => ({ id: row.id, oldCost: row.cost, newCost: next.cost }));
          for (const listener of this.repricedListeners) await listener(query, changes);
        });
      }
      updated += changed.length;
      if (rows.length < RECOMPUTE_BATCH) break;
    }
    return { scanned, updated, costBefore, costAfter };
  }

  private async priceTable(): Promise<PriceTable> {
    if (this.table && this.table.expiresAt > Date.now()) return this.table.value;
    const configs = await this.orm.em.fork().find(ModelCostConfig, {});
    const value = new PriceTable(configs.flatMap((config) => this.toRule(config)));
    this.table = { value, expiresAt: Date.now() + TABLE_TTL_MS };
    return value;
  }

  /**
   * A stored row as a pricing rule. A pattern saved before patterns were matched with RE2 may use
   * syntax RE2 lacks (lookaround, backreferences): it is left out, with a warning, rather than run by
   * a backtracking engine on every log.
   */
  private toRule(config: ModelCostConfig): PriceRule[] {
    let pattern: ModelPattern | null = null;
    if (config.modelPattern) {
      try {
        pattern = compileModelPattern(config.modelPattern);
      } catch (error) {
        if (!(error instanceof ModelPatternError)) throw error;
        this.log.warn(
          { configId: config.id, provider: config.provider },
          `cost config ignored: its modelPattern ${error.message}; update it`,
        );
        return [];
      }
    }
    return [
      {
        id: config.id,
        provider: config.provider,
        model: config.model ?? null,
        pattern,
        input: new Decimal(config.inputPricePerMillion),
        output: new Decimal(config.outputPricePerMillion),
        cachedInput: config.cachedInputPricePerMillion == null ? null : new Decimal(config.cachedInputPricePerMillion),
        currency: config.currency,
        effectiveFrom: config.effectiveFrom ? config.effectiveFrom.getTime() : Number.NEGATIVE_INFINITY,
        createdAt: config.createdAt.getTime(),
      },
    ];
  }

  private async save(flush: () => Promise<void>): Promise<void> {
    try {
      await flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw badUserInput('input', 'a price for this provider, model (or pattern) and effectiveFrom already exists');
      }
      throw error;
    } finally {
      this.table = undefined;
    }
  }
}

interface StoredPricing {
  id: string;
  provider: string;
  model: string;
  ts: Date;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost: string | null;
  cost_source: CostSource;
  cost_config_id: string | null;
  currency: string;
}

function toPricingInput(row: StoredPricing): PricingInput {
  return {
    provider: row.provider,
    model: row.model,
    timestamp: row.ts,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    providedCost: null,
    currency: row.currency,
  };
}

function samePrice(row: StoredPricing, next: Price): boolean {
  const sameCost = row.cost === null || next.cost === null ? row.cost === next.cost : new Decimal(row.cost).eq(next.cost);
  return sameCost && row.cost_source === next.source && row.cost_config_id === next.configId && row.currency === next.currency;
}
