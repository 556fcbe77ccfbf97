import { Check, Collection, Entity, Enum, ManyToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';
import { NotificationChannel } from './delivery/notification-channel.entity.js';

export enum AlertMetric {
  ERROR_RATE = 'ERROR_RATE',
  LATENCY_AVG = 'LATENCY_AVG',
  LATENCY_P50 = 'LATENCY_P50',
  LATENCY_P95 = 'LATENCY_P95',
  LATENCY_P99 = 'LATENCY_P99',
  COST = 'COST',
  TOKENS = 'TOKENS',
  REQUEST_COUNT = 'REQUEST_COUNT',
  NEGATIVE_FEEDBACK_RATE = 'NEGATIVE_FEEDBACK_RATE',
  TTFT_P50 = 'TTFT_P50',
  TTFT_P95 = 'TTFT_P95',
  OUTPUT_TOKENS_PER_SECOND = 'OUTPUT_TOKENS_PER_SECOND',
}

export enum AlertOperator {
  GT = 'GT',
  GTE = 'GTE',
  LT = 'LT',
  LTE = 'LTE',
  EQ = 'EQ',
  NEQ = 'NEQ',
}

export enum AlertRuleKind {
  THRESHOLD = 'THRESHOLD',
  BUDGET = 'BUDGET',
  ANOMALY = 'ANOMALY',
}

export enum BudgetPeriod {
  MONTH = 'MONTH',
  CUSTOM = 'CUSTOM',
}

export enum AlertSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}

registerEnumType(AlertMetric, {
  name: 'AlertMetric',
  description: 'What a rule watches over its window.',
  valuesConfig: {
    ERROR_RATE: { description: 'Share of calls with status ERROR, a fraction from 0 to 1 (0.2 is 20 %).' },
    LATENCY_AVG: { description: 'Mean latencyMs, in milliseconds.' },
    LATENCY_P50: { description: 'Median latencyMs, in milliseconds.' },
    LATENCY_P95: { description: '95th percentile of latencyMs, in milliseconds.' },
    LATENCY_P99: { description: '99th percentile of latencyMs, in milliseconds.' },
    COST: { description: "Sum of the cost of the calls, in the cost table's currency." },
    TOKENS: { description: 'Sum of input and output tokens.' },
    REQUEST_COUNT: { description: 'Number of calls.' },
    NEGATIVE_FEEDBACK_RATE: { description: 'Share of NEGATIVE ratings among the feedback received, a fraction from 0 to 1.' },
    TTFT_P50: { description: 'Median timeToFirstTokenMs of the calls that report one, in milliseconds.' },
    TTFT_P95: { description: '95th percentile of timeToFirstTokenMs, in milliseconds.' },
    OUTPUT_TOKENS_PER_SECOND: {
      description: 'Output tokens per second of generation (see MetricsSummary.outputTokensPerSecond); lower is worse, so use LT or LTE.',
    },
  },
});
registerEnumType(AlertOperator, {
  name: 'AlertOperator',
  description: 'How the value is compared with the threshold: the rule breaches when `value OPERATOR threshold` holds.',
  valuesConfig: {
    GT: { description: 'value > threshold' },
    GTE: { description: 'value >= threshold' },
    LT: { description: 'value < threshold' },
    LTE: { description: 'value <= threshold' },
    EQ: { description: 'value = threshold (exactly, at 10 fraction digits)' },
    NEQ: { description: 'value <> threshold' },
  },
});
registerEnumType(AlertRuleKind, {
  name: 'AlertRuleKind',
  description: 'How a rule judges its metric.',
  valuesConfig: {
    THRESHOLD: { description: 'The metric over the window is compared with the threshold.' },
    BUDGET: {
      description:
        'COST since the start of the budget period against a budget (the threshold): fires when the linear forecast for the period end exceeds it, and again when the actual spend does.',
    },
    ANOMALY: {
      description:
        'The metric over the window against the same window at the same hour of the week in the last 4 weeks: fires when it is more than threshold (k) robust deviations from their median.',
    },
  },
});
registerEnumType(BudgetPeriod, {
  name: 'BudgetPeriod',
  description: 'The period a BUDGET rule adds cost over.',
  valuesConfig: {
    MONTH: { description: 'The calendar month (UTC).' },
    CUSTOM: { description: 'Periods of periodDays days, the first starting at periodStart, repeating.' },
  },
});
registerEnumType(AlertSeverity, {
  name: 'AlertSeverity',
  description: 'How urgent an alert of the rule is; carried in every notification.',
});

/** A condition on a metric over a sliding window, optionally scoped to an app and a model. */
@ObjectType({ description: 'An alert rule: a condition on a metric over a sliding window, with its channels.' })
@Entity({ tableName: 'alert_rule' })
@Check({ name: 'alert_rule_window_check', expression: 'window_minutes > 0' })
export class AlertRule {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => AlertRuleKind, { description: 'THRESHOLD (the default), BUDGET or ANOMALY.' })
  @Enum({ items: () => AlertRuleKind, default: AlertRuleKind.THRESHOLD })
  kind: AlertRuleKind = AlertRuleKind.THRESHOLD;

  @Field(() => AlertMetric)
  @Enum({ items: () => AlertMetric })
  metric!: AlertMetric;

  @Field(() => AlertOperator)
  @Enum({ items: () => AlertOperator })
  operator!: AlertOperator;

  @Field(() => DecimalScalar, {
    description:
      "Compared with the metric's value: a fraction for rates, milliseconds for latencies, money for COST. For BUDGET, the budget (money); for ANOMALY, k: how many robust deviations from the baseline fire.",
  })
  @Property({ type: 'decimal', precision: 30, scale: 10 })
  threshold!: string;

  @Field(() => Int, { description: 'The metric is computed over the calls (or feedback) of the last windowMinutes.' })
  @Property({ type: 'integer' })
  windowMinutes!: number;

  @Field(() => String, { nullable: true, description: 'Only calls (or feedback) of this app; all apps when null.' })
  @Property({ type: 'text', nullable: true })
  appId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only calls of this model (for feedback: of the linked call); all models when null.',
  })
  @Property({ type: 'text', nullable: true })
  model?: string | null;

  @Field(() => Int, {
    description: 'The rule is judged only when the window holds at least this many calls (feedback for NEGATIVE_FEEDBACK_RATE).',
  })
  @Property({ type: 'integer', default: 1 })
  minSamples: number = 1;

  @Field(() => BudgetPeriod, { nullable: true, description: 'For BUDGET: the period the cost adds up over.' })
  @Enum({ items: () => BudgetPeriod, nullable: true })
  budgetPeriod?: BudgetPeriod | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'For a CUSTOM budget period: when the first period starts.' })
  @Property({ type: 'timestamptz', nullable: true })
  periodStart?: Date | null;

  @Field(() => Int, { nullable: true, description: 'For a CUSTOM budget period: its length in days.' })
  @Property({ type: 'integer', nullable: true })
  periodDays?: number | null;

  @Field(() => AlertSeverity)
  @Enum({ items: () => AlertSeverity, default: AlertSeverity.WARNING })
  severity: AlertSeverity = AlertSeverity.WARNING;

  @Field(() => Int, {
    description: 'While an alert stays FIRING (not acknowledged), notifications are repeated every cooldownMinutes; 0: only once.',
  })
  @Property({ type: 'integer', default: 60 })
  cooldownMinutes: number = 60;

  /** Shown whole to ADMIN keys only (see AlertRuleResolver). */
  @Property({ type: 'text', nullable: true })
  webhookUrl?: string | null;

  /** Signs webhook calls (X-Lumen-Signature); exposed to ADMIN keys only (see AlertRuleResolver). */
  @Property({ type: 'text' })
  webhookSecret!: string;

  @Field(() => [String], { description: 'Addresses emailed when an alert fires, repeats and resolves.' })
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  emails: string[] = [];

  /** The named channels notified besides the rule's own webhookUrl and emails (resolved in AlertRuleResolver). */
  @ManyToMany({
    entity: () => NotificationChannel,
    pivotTable: 'alert_rule_channel',
    joinColumn: 'rule_id',
    inverseJoinColumn: 'channel_id',
  })
  channels = new Collection<NotificationChannel>(this);

  @Field(() => String, { description: 'The language of its notifications: en or zh-CN.' })
  @Property({ type: 'text', default: 'en' })
  language: string = 'en';

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
