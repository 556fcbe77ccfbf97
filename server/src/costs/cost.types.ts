import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';
import { CostSource } from '../logs/log-price.types.js';

@InputType({
  description: 'A price entry: give either model (exact name) or modelPattern (regular expression). Prices per million tokens.',
})
export class CostConfigInput {
  @Field(() => String)
  provider!: string;

  @Field(() => String, { nullable: true, description: 'Exact model name (compared without regard to case).' })
  model?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Regular expression that must match the whole model name, for example "gpt-4o(-mini)?-\\\\d{4}-\\\\d{2}-\\\\d{2}".',
  })
  modelPattern?: string | null;

  @Field(() => DecimalScalar)
  inputPricePerMillion!: string;

  @Field(() => DecimalScalar)
  outputPricePerMillion!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Price of cached input tokens; the input price when absent.' })
  cachedInputPricePerMillion?: string | null;

  @Field(() => String, { nullable: true, defaultValue: 'USD' })
  currency?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'From when the price applies; always when absent.' })
  effectiveFrom?: Date | null;
}

@ObjectType({ description: 'The outcome of recomputeCosts.' })
export class RecomputeResult {
  @Field(() => Int, { description: 'Logs examined (those whose cost was not sent by the client).' })
  scanned!: number;

  @Field(() => Int, { description: 'Logs whose cost, source or currency changed.' })
  updated!: number;
}

@ObjectType({ description: 'What recomputeCosts would do, computed without writing anything.' })
export class RecomputePreview {
  @Field(() => Int, { description: 'Logs that would be examined (those whose cost was not sent by the client).' })
  scanned!: number;

  @Field(() => Int, { description: 'Logs whose cost, source or currency would change.' })
  changed!: number;

  @Field(() => DecimalScalar, { description: 'Total cost of the examined logs today.' })
  costBefore!: string;

  @Field(() => DecimalScalar, { description: 'Total cost of the examined logs once re-priced.' })
  costAfter!: string;
}

@ObjectType({ description: 'The price in effect now for a model seen in the logs, and where it comes from.' })
export class EffectivePrice {
  @Field(() => String)
  provider!: string;

  @Field(() => String)
  model!: string;

  @Field(() => Int, { description: 'Calls of this model in the period looked at.' })
  calls!: number;

  @Field(() => CostSource, { description: 'CONFIG (the cost table), BUILTIN (the bundled public price data) or UNPRICED.' })
  source!: CostSource;

  @Field(() => ID, { nullable: true, description: 'The cost table row in effect, when the source is CONFIG.' })
  configId!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  inputPricePerMillion!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  outputPricePerMillion!: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  cachedInputPricePerMillion!: string | null;

  @Field(() => String, { nullable: true })
  currency!: string | null;
}
