import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AlertRule, AlertSeverity } from './alert-rule.entity.js';

export enum AlertStatus {
  FIRING = 'FIRING',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

/**
 * One breach of a rule, from firing to resolution. The partial unique index is the last guard that a
 * rule never has two open records, whatever the evaluators do.
 */
@Entity({ tableName: 'alert_record' })
@Index({
  name: 'alert_record_one_open_per_rule',
  expression: `create unique index "alert_record_one_open_per_rule" on "alert_record" ("rule_id") where "status" <> 'RESOLVED'`,
})
@Index({ name: 'alert_record_fired_index', expression: 'create index "alert_record_fired_index" on "alert_record" ("fired_at" desc, "id" desc)' })
export class AlertRecord {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne(() => AlertRule, { deleteRule: 'cascade' })
  rule!: AlertRule;

  @Enum({ items: () => AlertStatus })
  status!: AlertStatus;

  @Property({ type: 'decimal', precision: 30, scale: 10 })
  value!: string;

  @Property({ type: 'decimal', precision: 30, scale: 10 })
  threshold!: string;

  @Property({ type: 'integer' })
  windowMinutes!: number;

  @Enum({ items: () => AlertSeverity })
  severity!: AlertSeverity;

  @Property({ type: 'timestamptz' })
  firedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  acknowledgedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  resolvedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastNotifiedAt?: Date | null;
}
