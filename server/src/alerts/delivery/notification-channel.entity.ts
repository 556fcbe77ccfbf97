import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';

import { DateTimeScalar } from '../../graphql/scalars.js';
import { AlertChannel } from './alert-channel.js';

/**
 * A named place that alert notifications go to, shared by any number of rules and managed by ADMIN
 * keys. `url` and `secret` are credentials for most kinds (a chat webhook's token sits in its URL, a
 * PagerDuty routing key is the secret): the API never returns the secret, and shows the URL whole to
 * ADMIN keys only (notification-channel.resolver.ts).
 */
@ObjectType({ description: 'A named notification channel (webhook, chat robot, PagerDuty service or email list) that rules send to.' })
@Entity({ tableName: 'notification_channel' })
@Unique({ name: 'notification_channel_name_unique', properties: ['name'] })
export class NotificationChannel {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => AlertChannel)
  @Enum({ items: () => AlertChannel })
  kind!: AlertChannel;

  /** The receiver's URL (for PAGERDUTY the Events API endpoint); null for EMAIL. */
  @Property({ type: 'text', nullable: true })
  url?: string | null;

  /** Signing secret (WEBHOOK, FEISHU, DINGTALK) or routing key (PAGERDUTY); write-only in the API. */
  @Property({ type: 'text', nullable: true })
  secret?: string | null;

  @Field(() => [String], { description: 'The addresses of an EMAIL channel; empty for other kinds.' })
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  emails: string[] = [];

  @Field(() => Boolean, { description: 'false: nothing is sent here (set by hand, or when the receiver answered 410 Gone).' })
  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Field(() => String, { nullable: true, description: 'Why the channel was disabled, when Lumen disabled it (a 410 Gone answer).' })
  @Property({ type: 'text', nullable: true })
  disabledReason?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  disabledAt?: Date | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
