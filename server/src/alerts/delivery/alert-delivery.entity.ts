import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

import { DateTimeScalar } from '../../graphql/scalars.js';
import { AlertRecord } from '../alert-record.entity.js';
import { AlertChannel } from './alert-channel.js';
import { NotificationChannel } from './notification-channel.entity.js';

export { AlertChannel };

/** What a notification announces. */
export enum AlertEventKind {
  FIRED = 'FIRED',
  REMINDER = 'REMINDER',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  SKIPPED = 'SKIPPED',
}

registerEnumType(AlertEventKind, {
  name: 'AlertEventKind',
  description:
    'FIRED when an alert opens, REMINDER while it stays FIRING, ACKNOWLEDGED when someone takes it (sent to PagerDuty only), RESOLVED when it closes.',
});
registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description:
    'PENDING until sent or out of attempts (FAILED); SKIPPED when the channel is not configured (email without SMTP_HOST) or is disabled.',
});

/**
 * The outbox: one row per notification to send, written in the same transaction as the state change it
 * announces, so a crash between the two loses nothing. Senders claim due rows with a lease
 * (locked_until), count every attempt, and record its outcome (alert-delivery.dispatcher.ts).
 */
@ObjectType({ description: 'One notification of an alert on one channel, with every attempt to send it counted.' })
@Entity({ tableName: 'alert_delivery' })
@Index({
  name: 'alert_delivery_due_index',
  expression: `create index "alert_delivery_due_index" on "alert_delivery" ("next_attempt_at") where "status" = 'PENDING'`,
})
@Index({
  name: 'alert_delivery_record_index',
  expression: 'create index "alert_delivery_record_index" on "alert_delivery" ("record_id", "created_at")',
})
export class AlertDelivery {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne(() => AlertRecord, { deleteRule: 'cascade' })
  record!: AlertRecord;

  @Field(() => AlertEventKind)
  @Enum({ items: () => AlertEventKind })
  event!: AlertEventKind;

  @Field(() => AlertChannel)
  @Enum({ items: () => AlertChannel })
  channel!: AlertChannel;

  /** The named channel sent to; null for a rule's own webhookUrl and emails (or when the channel was deleted). */
  @ManyToOne(() => NotificationChannel, { nullable: true, deleteRule: 'set null', fieldName: 'channel_id' })
  notificationChannel?: NotificationChannel | null;

  @Field(() => String, {
    nullable: true,
    description: "The named channel's name when the notification was queued; null for the rule's own webhook and emails.",
  })
  @Property({ type: 'text', nullable: true })
  channelName?: string | null;

  /** The webhook URL or the email address; a webhook URL is shown whole to ADMIN keys only (AlertRecordResolver). */
  @Property({ type: 'text' })
  target!: string;

  /** JSON text, fixed when the notification is queued: the webhook body as sent, or the email's subject and text. */
  @Property({ type: 'text' })
  payload!: string;

  @Field(() => DeliveryStatus)
  @Enum({ items: () => DeliveryStatus })
  status!: DeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (an attempt cut short by a crash counts too).' })
  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** A sender's lease on the row while it sends; an expired lease (the sender died) frees the row again. */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastAttemptAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (or why the delivery was skipped).' })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'The HTTP status of the last webhook attempt, or the SMTP reply code of the last email attempt.',
  })
  @Property({ type: 'integer', nullable: true })
  lastStatusCode?: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
