import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

import { DateTimeScalar } from '../graphql/scalars.js';
import { AlertRule } from './alert-rule.entity.js';

/**
 * A time window in which matching alerts are recorded but notify no one. Matchers combine with AND;
 * none means every rule. A rule matches an app (or model) matcher when it is scoped to that app (or
 * model): a rule over all apps is not silenced by a silence on one app. Silences end by themselves at
 * endsAt; expireSilence moves endsAt to now.
 */
@ObjectType({ description: 'A window in which matching alerts are recorded (marked silenced) but notify no one.' })
@Entity({ tableName: 'alert_silence' })
@Check({ name: 'alert_silence_window_check', expression: 'ends_at > starts_at' })
@Index({ name: 'alert_silence_ends_index', properties: ['endsAt'] })
export class AlertSilence {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** Only alerts of this rule; resolved in AlertSilenceResolver. */
  @ManyToOne(() => AlertRule, { nullable: true, deleteRule: 'cascade' })
  rule?: AlertRule | null;

  @Field(() => String, { nullable: true, description: 'Only rules scoped to this app.' })
  @Property({ type: 'text', nullable: true })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only rules scoped to this model.' })
  @Property({ type: 'text', nullable: true })
  model?: string | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { description: 'The silence ends here by itself (or when it was expired by hand).' })
  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => String, { description: 'The name of the API key that set the silence.' })
  @Property({ type: 'text' })
  createdBy!: string;

  @Field(() => String, { nullable: true, description: 'The name of the API key that expired the silence early.' })
  @Property({ type: 'text', nullable: true })
  expiredBy?: string | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
