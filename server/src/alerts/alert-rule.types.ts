import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

import { PageInfo } from '../graphql/pagination.js';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';
import { AlertRecord, AlertStage, AlertStatus } from './alert-record.entity.js';
import { AlertMetric, AlertOperator, AlertRule, AlertRuleKind, AlertSeverity, BudgetPeriod } from './alert-rule.entity.js';

@InputType({ description: 'An alert rule. Rates are fractions (0.2 is 20 %), latencies milliseconds, COST money.' })
export class AlertRuleInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => AlertRuleKind, { nullable: true, description: 'THRESHOLD when absent.' })
  kind?: AlertRuleKind | null;

  @Field(() => AlertMetric, { description: 'COST for BUDGET rules.' })
  metric!: AlertMetric;

  @Field(() => AlertOperator)
  operator!: AlertOperator;

  @Field(() => DecimalScalar, {
    description:
      'Zero or more; at most 1 for ERROR_RATE and NEGATIVE_FEEDBACK_RATE. For BUDGET the budget (more than 0); for ANOMALY k, the number of robust deviations (more than 0, at most 100).',
  })
  threshold!: string;

  @Field(() => BudgetPeriod, { nullable: true, description: 'For BUDGET: MONTH (when absent) or CUSTOM.' })
  budgetPeriod?: BudgetPeriod | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'For a CUSTOM budget period: when the first period starts.' })
  periodStart?: Date | null;

  @Field(() => Int, { nullable: true, description: 'For a CUSTOM budget period: its length, 1 to 366 days.' })
  periodDays?: number | null;

  @Field(() => Int, { description: 'The sliding window, 1 to 44,640 minutes (31 days).' })
  windowMinutes!: number;

  @Field(() => String, { nullable: true, description: 'Only this app; all apps when absent.' })
  appId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this model; all models when absent.' })
  model?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Fewest calls (feedback for NEGATIVE_FEEDBACK_RATE) in the window for the rule to be judged; 1 when absent.',
  })
  minSamples?: number | null;

  @Field(() => AlertSeverity, { nullable: true, description: 'WARNING when absent.' })
  severity?: AlertSeverity | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Repeat notifications of an unacknowledged FIRING alert every this many minutes (0: never); 60 when absent.',
  })
  cooldownMinutes?: number | null;

  @Field(() => String, { nullable: true, description: 'An http(s) URL called with a signed JSON POST.' })
  webhookUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The secret that signs webhook calls (16 to 256 characters). Generated when a rule is created without one; kept when an update leaves it out.',
  })
  webhookSecret?: string | null;

  @Field(() => [String], { nullable: true, description: 'Up to 50 email addresses.' })
  emails?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      'The named notification channels to tell (see notificationChannels), besides webhookUrl and emails. Left out on update: kept.',
  })
  channelIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The language of its notifications: en (when absent) or zh-CN.' })
  language?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true when absent.' })
  enabled?: boolean | null;
}

@ObjectType({ description: 'The outcome of testWebhook: one signed call, made at once.' })
export class WebhookTestResult {
  @Field(() => Boolean, { description: 'The receiver answered with a 2xx status.' })
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: 'The HTTP status, when the receiver answered.' })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the call failed.' })
  error!: string | null;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, {
    nullable: true,
    description: 'The secret the call was signed with, when no rule was named (a fresh one for this test).',
  })
  secret!: string | null;
}

@InputType({ description: 'Which alert records to list; fields combine with AND.' })
export class AlertRecordFilter {
  @Field(() => ID, { nullable: true })
  ruleId?: string | null;

  @Field(() => [AlertStatus], { nullable: true, description: 'Any of these statuses; all when absent.' })
  status?: AlertStatus[] | null;

  @Field(() => AlertSeverity, { nullable: true })
  severity?: AlertSeverity | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Fired at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Fired before this time.' })
  to?: Date | null;
}

@ObjectType({ description: 'An alert record and its position in the list.' })
export class AlertRecordEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AlertRecord)
  node!: AlertRecord;
}

@ObjectType({ description: 'A page of alert records, most recently fired first.' })
export class AlertRecordConnection {
  @Field(() => [AlertRecordEdge])
  edges!: AlertRecordEdge[];

  @Field(() => [AlertRecord], { description: 'The records of edges, for clients that do not need cursors per item.' })
  nodes!: AlertRecord[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'The rule evaluated at one instant of the preview.' })
export class AlertPreviewPoint {
  @Field(() => DateTimeScalar, { description: 'The instant; the window is the windowMinutes before it.' })
  at!: Date;

  @Field(() => DecimalScalar, { nullable: true, description: 'The metric over the window; null when there was nothing to measure.' })
  value!: string | null;

  @Field(() => Int, { description: 'Calls (feedback for NEGATIVE_FEEDBACK_RATE) in the window.' })
  samples!: number;

  @Field(() => Boolean, { description: 'The rule breached here (with at least minSamples samples).' })
  breaching!: boolean;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "BUDGET: the linear forecast for the period's end (value is the spend so far).",
  })
  forecast!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "ANOMALY: the baseline's median (the same window in the last 4 weeks)." })
  expected!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'ANOMALY: the lower edge of the band, median − k deviations.' })
  lower!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'ANOMALY: the upper edge of the band, median + k deviations.' })
  upper!: string | null;
}

@ObjectType({ description: 'An alert the rule would have opened in the preview range.' })
export class AlertPreviewFiring {
  @Field(() => DateTimeScalar)
  firedAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it would have resolved; null when still firing at the end of the range.',
  })
  resolvedAt!: Date | null;

  @Field(() => DecimalScalar, { description: 'The value when it fired.' })
  value!: string;

  @Field(() => AlertStage, { nullable: true, description: 'For BUDGET rules: FORECAST or SPENT.' })
  stage!: AlertStage | null;
}

@ObjectType({ description: 'What a rule would have done over a past range, evaluated every `stepSeconds` as the engine would.' })
export class AlertPreview {
  @Field(() => Boolean)
  wouldFire!: boolean;

  @Field(() => [AlertPreviewFiring])
  firings!: AlertPreviewFiring[];

  @Field(() => [AlertPreviewPoint])
  points!: AlertPreviewPoint[];

  @Field(() => Int, { description: 'Time between two evaluated instants.' })
  stepSeconds!: number;
}

@ObjectType({ description: 'Where a BUDGET rule stands now: its period, the spend so far, the forecast and the budget.' })
export class BudgetStatus {
  @Field(() => AlertRule)
  rule!: AlertRule;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the current period; null before a CUSTOM budget starts.' })
  periodStart!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'End of the current period (exclusive).' })
  periodEnd!: Date | null;

  @Field(() => DecimalScalar, { description: 'Cost of the calls in the rule scope since the period started.' })
  spent!: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Linear forecast for the period's end; null in its first tenth (at most a day).",
  })
  forecast!: string | null;

  @Field(() => DecimalScalar, { description: 'The budget (the rule threshold).' })
  budget!: string;
}
