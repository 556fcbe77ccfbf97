import type { LumenPubSub } from '../graphql/pubsub.js';
import type { AlertRecord, AlertStage } from './alert-record.entity.js';
import type { AlertRule } from './alert-rule.entity.js';
import type { AlertSilence } from './alert-silence.entity.js';

/**
 * A record as it travels on the alertFired and alertUpdated topics: plain JSON (times as ISO strings),
 * because with REDIS_URL it crosses to other replicas through Redis.
 */
export interface AlertEvent {
  id: string;
  rule: { id: string; name: string };
  status: AlertRecord['status'];
  metric: AlertRecord['metric'];
  operator: AlertRecord['operator'];
  value: string;
  threshold: string;
  windowMinutes: number;
  severity: AlertRecord['severity'];
  firedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  lastNotifiedAt: string | null;
  /** The silence the alert fired under, if any. */
  silenceId: string | null;
  kind: AlertRecord['kind'];
  stage: string;
  expected: string | null;
}

declare module '../graphql/pubsub.js' {
  interface LumenTopics {
    alertFired: AlertEvent;
    alertUpdated: AlertEvent;
  }
}

export function toAlertEvent(record: AlertRecord): AlertEvent {
  const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
  return {
    id: record.id,
    rule: { id: record.rule.id, name: record.rule.name },
    status: record.status,
    metric: record.metric,
    operator: record.operator,
    value: record.value,
    threshold: record.threshold,
    windowMinutes: record.windowMinutes,
    severity: record.severity,
    firedAt: record.firedAt.toISOString(),
    acknowledgedAt: iso(record.acknowledgedAt),
    acknowledgedBy: record.acknowledgedBy ?? null,
    resolvedAt: iso(record.resolvedAt),
    resolvedBy: record.resolvedBy ?? null,
    lastNotifiedAt: iso(record.lastNotifiedAt),
    silenceId: record.silence?.id ?? null,
    kind: record.kind,
    stage: record.stage,
    expected: record.expected ?? null,
  };
}

export function fromAlertEvent(event: AlertEvent): AlertRecord {
  const date = (iso: string | null) => (iso ? new Date(iso) : null);
  const { silenceId, ...fields } = event;
  return {
    ...fields,
    silence: silenceId ? ({ id: silenceId } as AlertSilence) : null,
    budgetStage: (event.stage || null) as AlertStage | null,
    rule: { ...event.rule } as AlertRule,
    firedAt: new Date(event.firedAt),
    acknowledgedAt: date(event.acknowledgedAt),
    resolvedAt: date(event.resolvedAt),
    lastNotifiedAt: date(event.lastNotifiedAt),
  };
}

/** Pushes a state change to subscribers: a new alert on alertFired, every change (a new alert too) on alertUpdated. */
export function publishAlert(pubsub: LumenPubSub, record: AlertRecord, fired: boolean): void {
  const event = toAlertEvent(record);
  if (fired) pubsub.publish('alertFired', event);
  pubsub.publish('alertUpdated', event);
}
