import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Narrows metrics to one app, model, provider or user; fields combine with AND.' })
export class MetricsFilter {
  @Field(() => String, { nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true })
  provider?: string | null;

  @Field(() => String, { nullable: true })
  userId?: string | null;
}
