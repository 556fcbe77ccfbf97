import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';

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
}

export enum AlertOperator {
  GT = 'GT',
  GTE = 'GTE',
  LT = 'LT',
  LTE = 'LTE',
  EQ = 'EQ',
  NEQ = 'NEQ',
}

export enum AlertSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}

/** A condition on a metric over a sliding window, optionally scoped to an app and a model. */
@Entity({ tableName: 'alert_rule' })
@Check({ name: 'alert_rule_window_check', expression: 'window_minutes > 0' })
export class AlertRule {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => AlertMetric })
  metric!: AlertMetric;

  @Enum({ items: () => AlertOperator })
  operator!: AlertOperator;

  @Property({ type: 'decimal', precision: 30, scale: 10 })
  threshold!: string;

  @Property({ type: 'integer' })
  windowMinutes!: number;

  @Property({ type: 'text', nullable: true })
  appId?: string | null;

  @Property({ type: 'text', nullable: true })
  model?: string | null;

  @Property({ type: 'integer', default: 1 })
  minSamples: number = 1;

  @Enum({ items: () => AlertSeverity, default: AlertSeverity.WARNING })
  severity: AlertSeverity = AlertSeverity.WARNING;

  @Property({ type: 'integer', default: 60 })
  cooldownMinutes: number = 60;

  @Property({ type: 'text', nullable: true })
  webhookUrl?: string | null;

  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  emails: string[] = [];

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
