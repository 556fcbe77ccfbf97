import { randomUUID } from 'node:crypto';

import type { SqlQuery } from '../../db/sql.js';
import type { AlertRecord } from '../alert-record.entity.js';
import { RULE_COLUMNS, type RuleRow } from '../alert-rule.row.js';
import { isLanguage } from '../alert.wording.js';
import { AlertChannel, AlertEventKind, DeliveryStatus } from './alert-delivery.entity.js';
import { alertMessage, emailMessage, webhookBody, type AlertMessage, type NotifiedRule } from './alert.notification.js';
import { dingTalkPayload, feishuPayload, pagerDutyDedupKey, pagerDutyPayload, slackPayload, weComPayload } from './channel.payloads.js';
import { EMAIL_NOT_CONFIGURED } from './channel.sender.js';

export { EMAIL_NOT_CONFIGURED };

export interface OutboxOptions {
  emailEnabled: boolean;
  /** The base of the links in messages (PUBLIC_URL). */
  publicUrl: string;
}

/** A rule's named channel as the outbox reads it. */
interface ChannelRow {
  id: string;
  name: string;
  kind: AlertChannel;
  url: string | null;
  emails: string[];
  enabled: boolean;
  disabled_reason: string | null;
}

interface QueuedDelivery {
  id: string;
  channel: AlertChannel;
  channelId: string | null;
  channelName: string | null;
  target: string;
  payload: unknown;
  status: DeliveryStatus;
  lastError: string | null;
}

/**
 * Which events each kind of channel is told about. PagerDuty follows the alert's lifecycle (trigger,
 * acknowledge, resolve; a reminder would only re-trigger the open incident); the others hear of firing,
 * reminders and resolution, as the rule's own webhook and emails always have.
 */
export function channelTakes(kind: AlertChannel, event: AlertEventKind): boolean {
  if (kind === AlertChannel.PAGERDUTY) return event !== AlertEventKind.REMINDER;
  return event !== AlertEventKind.ACKNOWLEDGED;
}

/**
 * Queues the notifications of a state change in the transaction that makes the change (the outbox): the
 * rule's own webhook and emails (kept from before named channels: they act as an unnamed WEBHOOK and
 * EMAIL channel), and each named channel of the rule. A disabled channel, or email without SMTP, gets a
 * SKIPPED row with the reason, so the alert shows why nobody was told there.
 */
export async function queueNotifications(
  query: SqlQuery,
  kind: AlertEventKind,
  record: AlertRecord,
  options: OutboxOptions,
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
    language: isLanguage(row.language) ? row.language : 'en',
  };
  const channels = await query<ChannelRow>(
    `select c.id, c.name, c.kind, c.url, c.emails, c.enabled, c.disabled_reason
       from alert_rule_channel rc join notification_channel c on c.id = rc.channel_id
      where rc.rule_id = $1 order by c.name`,
    [rule.id],
  );
  const message = alertMessage(kind, record, rule, options.publicUrl);
  const deliveries: QueuedDelivery[] = [];
  const add = (channel: AlertChannel, target: string, named: ChannelRow | null, payload: (id: string) => unknown) => {
    const id = randomUUID();
    let status = DeliveryStatus.PENDING;
    let lastError: string | null = null;
    if (named && !named.enabled) {
      status = DeliveryStatus.SKIPPED;
      lastError = `channel "${named.name}" is disabled${named.disabled_reason ? `: ${named.disabled_reason}` : ''}`;
    } else if (channel === AlertChannel.EMAIL && !options.emailEnabled) {
      status = DeliveryStatus.SKIPPED;
      lastError = EMAIL_NOT_CONFIGURED;
    }
    deliveries.push({
      id,
      channel,
      channelId: named?.id ?? null,
      channelName: named?.name ?? null,
      target,
      payload: payload(id),
      status,
      lastError,
    });
  };

  if (channelTakes(AlertChannel.WEBHOOK, kind) && row.webhook_url)
    add(AlertChannel.WEBHOOK, row.webhook_url, null, (id) => webhookBody(kind, id, record, rule, message, at));
  if (channelTakes(AlertChannel.EMAIL, kind))
    for (const address of row.emails) add(AlertChannel.EMAIL, address, null, () => emailMessage(message));
  for (const channel of channels) {
    if (!channelTakes(channel.kind, kind)) continue;
    if (channel.kind === AlertChannel.EMAIL) {
      for (const address of channel.emails) add(AlertChannel.EMAIL, address, channel, () => emailMessage(message));
    } else {
      add(channel.kind, channel.url ?? '', channel, (id) => channelPayload(channel.kind, { kind, id, record, rule, message, at }));
    }
  }
  if (deliveries.length === 0) return 0;
  await query(
    `insert into alert_delivery (id, record_id, event, channel, channel_id, channel_name, target, payload, status, last_error, next_attempt_at)
     select d.id, $1, $2, d.channel, d.channel_id, d.channel_name, d.target, d.payload, d.status, d.last_error, now()
       from unnest($3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         as d(id, channel, channel_id, channel_name, target, payload, status, last_error)`,
    [
      record.id,
      kind,
      deliveries.map((d) => d.id),
      deliveries.map((d) => d.channel),
      deliveries.map((d) => d.channelId),
      deliveries.map((d) => d.channelName),
      deliveries.map((d) => d.target),
      deliveries.map((d) => JSON.stringify(d.payload)),
      deliveries.map((d) => d.status),
      deliveries.map((d) => d.lastError),
    ],
  );
  return deliveries.filter((d) => d.status === DeliveryStatus.PENDING).length;
}

/** The stored body of a named channel's notification, in its provider's format. */
function channelPayload(
  channel: AlertChannel,
  context: { kind: AlertEventKind; id: string; record: AlertRecord; rule: NotifiedRule; message: AlertMessage; at: Date },
): unknown {
  const { kind, id, record, rule, message, at } = context;
  switch (channel) {
    case AlertChannel.SLACK:
      return slackPayload(message);
    case AlertChannel.FEISHU:
      return feishuPayload(message);
    case AlertChannel.DINGTALK:
      return dingTalkPayload(message);
    case AlertChannel.WECOM:
      return weComPayload(message);
    case AlertChannel.PAGERDUTY:
      return pagerDutyPayload(message, pagerDutyDedupKey(record.id), {
        timestamp: at,
        appId: rule.appId,
        model: rule.model,
        metric: record.metric,
      });
    case AlertChannel.WEBHOOK:
    case AlertChannel.EMAIL:
      return webhookBody(kind, id, record, rule, message, at);
  }
}
