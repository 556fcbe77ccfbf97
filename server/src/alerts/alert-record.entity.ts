import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';
import { AlertMetric, AlertOperator, AlertRule, AlertRuleKind, AlertSeverity } from './alert-rule.entity.js';
import { AlertSilence } from './alert-silence.entity.js';

export enum AlertStatus {
  FIRING = 'FIRING',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

/** What a BUDGET alert is about: its forecast, or the spend itself; each has its own record. */
export enum AlertStage {
  FORECAST = 'FORECAST',
  SPENT = 'SPENT',
}
registerEnumType(AlertStage, {
  name: 'AlertStage',
  description: 'Which condition of a BUDGET rule an alert is about.',
  valuesConfig: {
    FORECAST: { description: "The forecast for the period's end exceeds the budget (value: the forecast)." },
    SPENT: { description: 'The spend so far exceeds the budget (value: the spend).' },
  },
});

registerEnumType(AlertStatus, {
  name: 'AlertStatus',
  description:
    'FIRING when a breach opens the alert, ACKNOWLEDGED once someone takes it, RESOLVED when the condition clears or someone resolves it.',
});

/**
 * One breach of a rule, from firing to resolution. The partial unique index is the last guard that a
 * rule never has two open records, whatever the evaluators do. Rows are read and written by hand-written
 * SQL (alert-record.row.ts); `rule` is resolved in AlertRecordResolver.
 */
@ObjectType({ description: 'One breach of an alert rule, from firing to resolution.' })
@Entity({ tableName: 'alert_record' })
@Index({
  name: 'alert_record_one_open_per_rule',
  expression: `create unique index "alert_record_one_open_per_rule" on "alert_record" ("rule_id", "stage") where "status" <> 'RESOLVED'`,
})
@Index({
  name: 'alert_record_fired_index',
  expression: 'create index "alert_record_fired_index" on "alert_record" ("fired_at" desc, "id" desc)',
})
export class AlertRecord {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne(() => AlertRule, { deleteRule: 'cascade' })
  rule!: AlertRule;

  @Field(() => AlertStatus)
  @Enum({ items: () => AlertStatus })
  status!: AlertStatus;

  @Field(() => AlertRuleKind, { description: "The rule's kind when the alert fired." })
  @Enum({ items: () => AlertRuleKind, default: AlertRuleKind.THRESHOLD })
  kind: AlertRuleKind = AlertRuleKind.THRESHOLD;

  /** '' except for BUDGET alerts; part of the one-open-record-per-rule index, so it holds no NULL. */
  @Property({ type: 'text', default: '' })
  stage: string = '';

  @Field(() => AlertStage, { name: 'stage', nullable: true, description: 'For BUDGET alerts: FORECAST or SPENT.' })
  budgetStage?: AlertStage | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'What the value was judged against: for ANOMALY the baseline median, for BUDGET the spend so far (FORECAST) or the forecast (SPENT).',
  })
  @Property({ type: 'decimal', precision: 30, scale: 10, nullable: true })
  expected?: string | null;

  @Field(() => AlertMetric, { description: "The rule's metric when the alert fired." })
  @Enum({ items: () => AlertMetric })
  metric!: AlertMetric;

  @Field(() => AlertOperator, { description: "The rule's operator when the alert fired." })
  @Enum({ items: () => AlertOperator })
  operator!: AlertOperator;

  @Field(() => DecimalScalar, { description: "The metric's value that breached the threshold." })
  @Property({ type: 'decimal', precision: 30, scale: 10 })
  value!: string;

  @Field(() => DecimalScalar, { description: "The rule's threshold when the alert fired." })
  @Property({ type: 'decimal', precision: 30, scale: 10 })
  threshold!: string;

  @Field(() => Int, { description: "The rule's window when the alert fired." })
  @Property({ type: 'integer' })
  windowMinutes!: number;

  @Field(() => AlertSeverity)
  @Enum({ items: () => AlertSeverity })
  severity!: AlertSeverity;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  firedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The name of the API key that acknowledged the alert.' })
  @Property({ type: 'text', nullable: true })
  acknowledgedBy?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The name of the API key that resolved the alert; null when it resolved by itself.' })
  @Property({ type: 'text', nullable: true })
  resolvedBy?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When notifications about this alert last went out (firing or reminder).' })
  @Property({ type: 'timestamptz', nullable: true })
  lastNotifiedAt?: Date | null;

  /** The silence in force when the alert fired: it was recorded but notified no one. Resolved in AlertRecordResolver. */
  @ManyToOne(() => AlertSilence, { nullable: true, deleteRule: 'set null' })
  silence?: AlertSilence | null;
}
