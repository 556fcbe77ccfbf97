import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { LumenContext } from '../graphql/context.js';
import { TimeRangeInput } from '../graphql/time-range.js';
import { MetricsFilter } from '../logs/log.types.js';
import { ModelCostConfig } from './cost-config.entity.js';
import { CostConfigInput, EffectivePrice, RecomputePreview, RecomputeResult } from './cost.types.js';

@Resolver(() => ModelCostConfig)
export class CostResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => [ModelCostConfig], { description: 'The cost table. READ or ADMIN.' })
  costConfigs(@Ctx() { services }: LumenContext): Promise<ModelCostConfig[]> {
    return services.costs.list();
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => [EffectivePrice], {
    description:
      'The price in effect now for every model called in the last `days` days, the most called first, with its source: the cost table (CONFIG), the bundled public price data (BUILTIN) or none (UNPRICED). READ or ADMIN.',
  })
  effectivePrices(
    @Ctx() { services }: LumenContext,
    @Arg('days', () => Int, { defaultValue: 30 }) days: number,
    @Arg('limit', () => Int, { defaultValue: 200 }) limit: number,
  ): Promise<EffectivePrice[]> {
    return services.costs.effectivePrices(days, limit);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => ModelCostConfig, {
    description: 'Adds a price. Logs stored later are priced with it; run recomputeCosts for older ones. ADMIN.',
  })
  createCostConfig(
    @Ctx() { services }: LumenContext,
    @Arg('input', () => CostConfigInput) input: CostConfigInput,
  ): Promise<ModelCostConfig> {
    return services.costs.create(input);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => ModelCostConfig, { description: 'Replaces a price entry with the given one. ADMIN.' })
  updateCostConfig(
    @Ctx() { services }: LumenContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CostConfigInput) input: CostConfigInput,
  ): Promise<ModelCostConfig> {
    return services.costs.update(id, input);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => Boolean, { description: 'Deletes a price. ADMIN.' })
  deleteCostConfig(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return services.costs.delete(id);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => RecomputeResult, {
    description: 'Re-prices stored logs in a range after a price change (not those whose cost the client sent). ADMIN.',
  })
  recomputeCosts(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('filter', () => MetricsFilter, { nullable: true }) filter: MetricsFilter | null,
  ): Promise<RecomputeResult> {
    return services.costs.recompute(range, filter);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Query(() => RecomputePreview, {
    description: 'A dry run of recomputeCosts: how many logs would change and their total cost before and after. Writes nothing. ADMIN.',
  })
  previewRecomputeCosts(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('filter', () => MetricsFilter, { nullable: true }) filter: MetricsFilter | null,
  ): Promise<RecomputePreview> {
    return services.costs.previewRecompute(range, filter);
  }
}
