import { randomUUID } from 'node:crypto';

import type { SqlQuery } from '../../db/sql.js';
import type { AlertRecord } from '../alert-record.entity.js';
import { RULE_COLUMNS, type RuleRow } from '../alert-rule.row.js';
import { AlertChannel, DeliveryStatus, type AlertEventKind } from './alert-delivery.entity.js';
import { emailMessage, webhookBody, type NotifiedRule } from './alert.notification.js';

export const EMAIL_NOT_CONFIGURED = 'email is not configured: set SMTP_HOST and SMTP_FROM';

/**
 * Queues the notifications of a state change in the transaction that makes the change (the outbox):
 * one webhook call when the rule has a URL, one email per address. With email not configured, email
 * rows are stored SKIPPED with the reason, so the record shows why nobody was emailed.
 */
export async function queueNotifications(
  query: SqlQuery,
  kind: AlertEventKind,
  record: AlertRecord,
  options: { emailEnabled: boolean },
  at: Date,
): Promise<number> {
  const [row] = await query<RuleRow>(`select ${RULE_COLUMNS} from alert_rule where id = $1`, [record.rule.id]);
  if (!row) return 0;
  const rule: NotifiedRule = {
    id: row.id,
    name: row.name,
    metric: row.metric,
    operator: row.operator,
    threshold: row.threshold,
    windowMinutes: row.window_minutes,
    appId: row.app_id,
    model: row.model,
    severity: row.severity,
  };
  const deliveries: {
    id: string;
    channel: AlertChannel;
    target: string;
    payload: unknown;
    status: DeliveryStatus;
    lastError: string | null;
  }[] = [];
  if (row.webhook_url) {
    const id = randomUUID();
    deliveries.push({
      id,
      channel: AlertChannel.WEBHOOK,
      target: row.webhook_url,
      payload: webhookBody(kind, id, record, rule, at),
      status: DeliveryStatus.PENDING,
      lastError: null,
    });
  }
  for (const address of row.emails) {
    deliveries.push({
      id: randomUUID(),
      channel: AlertChannel.EMAIL,
      target: address,
      payload: emailMessage(kind, record, rule),
      status: options.emailEnabled ? DeliveryStatus.PENDING : DeliveryStatus.SKIPPED,
      lastError: options.emailEnabled ? null : EMAIL_NOT_CONFIGURED,
    });
  }
  if (deliveries.length === 0) return 0;
  await query(
    `insert into alert_delivery (id, record_id, event, channel, target, payload, status, last_error, next_attempt_at)
     select d.id, $1, $2, d.channel, d.target, d.payload, d.status, d.last_error, now()
       from unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as d(id, channel, target, payload, status, last_error)`,
    [
      record.id,
      kind,
      deliveries.map((d) => d.id),
      deliveries.map((d) => d.channel),
      deliveries.map((d) => d.target),
      deliveries.map((d) => JSON.stringify(d.payload)),
      deliveries.map((d) => d.status),
      deliveries.map((d) => d.lastError),
    ],
  );
  return deliveries.filter((d) => d.status === DeliveryStatus.PENDING).length;
}
