import { Check, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';

/**
 * A price for a provider's model: an exact model name or a regular expression over model names.
 * Several rows for the same model with different `effectiveFrom` keep the price history.
 */
@ObjectType({ description: 'A price entry of the cost table. Prices are per million tokens.' })
@Entity({ tableName: 'model_cost_config' })
@Check({ name: 'model_cost_config_model_or_pattern_check', expression: '(model is null) <> (model_pattern is null)' })
@Index({
  name: 'model_cost_config_identity_unique',
  expression: `create unique index "model_cost_config_identity_unique" on "model_cost_config" (lower("provider"), coalesce("model", ''), coalesce("model_pattern", ''), coalesce("effective_from", '-infinity'))`,
})
export class ModelCostConfig {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String, { description: 'The provider, compared without regard to case (openai, anthropic, ...).' })
  @Property({ type: 'text' })
  provider!: string;

  @Field(() => String, { nullable: true, description: 'The exact model name this price applies to.' })
  @Property({ type: 'text', nullable: true })
  model?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A regular expression matched against the whole model name, when no exact model is given.',
  })
  @Property({ type: 'text', nullable: true })
  modelPattern?: string | null;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 20, scale: 10 })
  inputPricePerMillion!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 20, scale: 10 })
  outputPricePerMillion!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Price of cached input tokens; the input price when absent.' })
  @Property({ type: 'decimal', precision: 20, scale: 10, nullable: true })
  cachedInputPricePerMillion?: string | null;

  @Field(() => String)
  @Property({ type: 'text', default: 'USD' })
  currency: string = 'USD';

  @Field(() => DateTimeScalar, { nullable: true, description: 'From when the price applies; always when null.' })
  @Property({ type: 'timestamptz', nullable: true })
  effectiveFrom?: Date | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
