import type { AlertRecord } from '../alert-record.entity.js';
import type { AlertRule } from '../alert-rule.entity.js';
import { describeCondition, formatDecimal } from '../alert.condition.js';
import { AlertEventKind } from './alert-delivery.entity.js';

/** What notifications say about a rule: fixed when a notification is queued. */
export type NotifiedRule = Pick<
  AlertRule,
  'id' | 'name' | 'metric' | 'operator' | 'threshold' | 'windowMinutes' | 'appId' | 'model' | 'severity'
>;

const EVENT_TYPE: Record<AlertEventKind, string> = {
  FIRED: 'alert.fired',
  REMINDER: 'alert.reminder',
  RESOLVED: 'alert.resolved',
};

export function webhookEventType(kind: AlertEventKind): string {
  return EVENT_TYPE[kind];
}

/** A one-line account of the event: "Error rate high FIRING: ERROR_RATE > 0.2 over 5 min (app chat) at 0.35". */
export function summarize(kind: AlertEventKind, record: AlertRecord, rule: NotifiedRule): string {
  const condition = describeCondition(rule);
  switch (kind) {
    case AlertEventKind.FIRED:
      return `${rule.name} is FIRING: ${condition}, value ${formatDecimal(record.value)}`;
    case AlertEventKind.REMINDER:
      return `${rule.name} is still FIRING since ${record.firedAt.toISOString()}: ${condition}`;
    case AlertEventKind.RESOLVED:
      return `${rule.name} is RESOLVED${record.resolvedBy ? ` by ${record.resolvedBy}` : ''}: ${condition} no longer holds`;
  }
}

/** The JSON body of a webhook call (documented in the README). */
export function webhookBody(
  kind: AlertEventKind,
  deliveryId: string,
  record: AlertRecord,
  rule: NotifiedRule,
  at: Date,
): Record<string, unknown> {
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    type: webhookEventType(kind),
    deliveryId,
    occurredAt: at.toISOString(),
    summary: summarize(kind, record, rule),
    alert: {
      id: record.id,
      status: record.status,
      metric: record.metric,
      operator: record.operator,
      value: formatDecimal(record.value),
      threshold: formatDecimal(record.threshold),
      windowMinutes: record.windowMinutes,
      severity: record.severity,
      firedAt: iso(record.firedAt),
      acknowledgedAt: iso(record.acknowledgedAt),
      acknowledgedBy: record.acknowledgedBy ?? null,
      resolvedAt: iso(record.resolvedAt),
      resolvedBy: record.resolvedBy ?? null,
    },
    rule: {
      id: rule.id,
      name: rule.name,
      metric: rule.metric,
      operator: rule.operator,
      threshold: formatDecimal(rule.threshold),
      windowMinutes: rule.windowMinutes,
      appId: rule.appId ?? null,
      model: rule.model ?? null,
      severity: rule.severity,
    },
  };
}

const SUBJECT_STATE: Record<AlertEventKind, string> = { FIRED: 'FIRING', REMINDER: 'STILL FIRING', RESOLVED: 'RESOLVED' };

/** A plain-text email. */
export function emailMessage(kind: AlertEventKind, record: AlertRecord, rule: NotifiedRule): { subject: string; text: string } {
  const lines = [
    summarize(kind, record, rule),
    '',
    `Rule:       ${rule.name}`,
    `Severity:   ${record.severity}`,
    `Condition:  ${describeCondition({ ...rule, metric: record.metric, operator: record.operator, threshold: record.threshold, windowMinutes: record.windowMinutes })}`,
    `Value:      ${formatDecimal(record.value)} when it fired`,
    `Fired at:   ${record.firedAt.toISOString()}`,
    ...(record.acknowledgedAt ? [`Acknowledged: ${record.acknowledgedAt.toISOString()} by ${record.acknowledgedBy ?? 'unknown'}`] : []),
    ...(record.resolvedAt
      ? [`Resolved at: ${record.resolvedAt.toISOString()}${record.resolvedBy ? ` by ${record.resolvedBy}` : ' (the condition cleared)'}`]
      : []),
    `Alert id:   ${record.id}`,
    '',
    '-- Lumen',
  ];
  return { subject: `[Lumen] ${SUBJECT_STATE[kind]} (${record.severity}): ${rule.name}`, text: lines.join('\n') };
}
