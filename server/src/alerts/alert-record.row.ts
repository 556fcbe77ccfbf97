import type { AlertRecord, AlertStage, AlertStatus } from './alert-record.entity.js';
import type { AlertMetric, AlertOperator, AlertRule, AlertRuleKind, AlertSeverity } from './alert-rule.entity.js';
import type { AlertSilence } from './alert-silence.entity.js';

/** Selects a record (alias `a`) with its rule's name (alias `r`) and its keyset position. */
export const RECORD_COLUMNS = `a.id, a.rule_id, r.name as rule_name, a.status, a.metric, a.operator, a.value::text as value,
  a.threshold::text as threshold, a.window_minutes, a.severity, a.fired_at, a.acknowledged_at, a.acknowledged_by,
  a.resolved_at, a.resolved_by, a.last_notified_at, a.silence_id, a.kind, a.stage, a.expected::text as expected, (extract(epoch from a.fired_at) * 1000000)::bigint as fired_micros`;

export interface RecordRow {
  id: string;
  rule_id: string;
  rule_name: string;
  status: AlertStatus;
  metric: AlertMetric;
  operator: AlertOperator;
  value: string;
  threshold: string;
  window_minutes: number;
  severity: AlertSeverity;
  fired_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  last_notified_at: Date | null;
  silence_id: string | null;
  kind: AlertRuleKind;
  stage: string;
  expected: string | null;
  fired_micros: string;
}

/**
 * A record as the API returns it. `rule` holds the rule's id and name only; AlertRecordResolver loads the
 * whole rule when a client asks for more of it.
 */
export function toRecord(row: RecordRow): AlertRecord {
  return {
    id: row.id,
    rule: { id: row.rule_id, name: row.rule_name } as AlertRule,
    status: row.status,
    metric: row.metric,
    operator: row.operator,
    value: row.value,
    threshold: row.threshold,
    windowMinutes: row.window_minutes,
    severity: row.severity,
    firedAt: row.fired_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    lastNotifiedAt: row.last_notified_at,
    silence: row.silence_id ? ({ id: row.silence_id } as AlertSilence) : null,
    kind: row.kind,
    stage: row.stage,
    budgetStage: (row.stage || null) as AlertStage | null,
    expected: row.expected,
  };
}
