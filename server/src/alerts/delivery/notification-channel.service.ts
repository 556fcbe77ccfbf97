import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type MikroORM } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';

import type { NotificationConfig } from '../../config.js';
import type { Sql } from '../../db/sql.js';
import { badUserInput, notFound } from '../../graphql/errors.js';
import { uuidOrThrow } from '../../graphql/ids.js';
import type { Language } from '../alert.wording.js';
import { AlertChannel } from './alert-channel.js';
import { emailMessage, testMessage } from './alert.notification.js';
import { dingTalkPayload, feishuPayload, pagerDutyPayload, slackPayload, weComPayload } from './channel.payloads.js';
import { sendToChannel, type ChannelOutcome, type EmailTransport } from './channel.sender.js';
import { NotificationChannel } from './notification-channel.entity.js';
import type { ChannelTestResult, CreatedNotificationChannel, NotificationChannelInput } from './notification-channel.types.js';
import { validateChannel } from './notification-channel.validation.js';
import { generateWebhookSecret } from './webhook.signature.js';

/** Named notification channels: create, read, replace, delete, test; and disabling one whose receiver is gone. */
export class NotificationChannelService {
  constructor(
    private readonly orm: MikroORM,
    private readonly sql: Sql,
    private readonly options: Pick<NotificationConfig, 'allowPrivateWebhooks' | 'webhookTimeoutMs'> & { publicUrl: string },
    private readonly email: EmailTransport | null,
    private readonly log: Logger,
  ) {}

  list(): Promise<NotificationChannel[]> {
    return this.orm.em.fork().find(NotificationChannel, {}, { orderBy: { name: 'asc' } });
  }

  get(id: string): Promise<NotificationChannel | null> {
    return this.orm.em.fork().findOne(NotificationChannel, { id: uuidOrThrow(id) });
  }

  /** Checks that every id names a channel, and returns them deduplicated (for a rule's channelIds). */
  async existing(ids: readonly string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids.map((id, index) => uuidOrThrow(id, `${field}.${index}`)))];
    if (unique.length === 0) return [];
    const found = await this.orm.em.fork().find(NotificationChannel, { id: { $in: unique } }, { fields: ['id'] });
    const missing = unique.filter((id) => !found.some((channel) => channel.id === id));
    if (missing.length) throw badUserInput(field, `no notification channel ${missing.join(', ')}`);
    return unique;
  }

  /** A loader of each rule's channels (by name), answering every rule of a response with one query. */
  rulesLoader(): DataLoader<string, NotificationChannel[]> {
    return new DataLoader(async (ruleIds) => {
      const rows = await this.sql.query<{ rule_id: string; id: string }>(
        `select rc.rule_id, c.id from alert_rule_channel rc join notification_channel c on c.id = rc.channel_id
          where rc.rule_id = any($1::uuid[]) order by c.name`,
        [ruleIds],
      );
      const channels = await this.orm.em.fork().find(NotificationChannel, { id: { $in: [...new Set(rows.map((row) => row.id))] } });
      const byId = new Map(channels.map((channel) => [channel.id, channel]));
      return ruleIds.map((ruleId) => rows.filter((row) => row.rule_id === ruleId).flatMap((row) => byId.get(row.id) ?? []));
    });
  }

  async create(input: NotificationChannelInput): Promise<CreatedNotificationChannel> {
    const valid = validateChannel(input, { allowPrivate: this.options.allowPrivateWebhooks, creating: true });
    const generated = valid.kind === AlertChannel.WEBHOOK && !valid.secret ? generateWebhookSecret() : null;
    const em = this.orm.em.fork();
    const channel = em.create(NotificationChannel, {
      ...valid,
      secret: generated ?? valid.secret ?? null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await this.flushNamed(em, valid.name);
    this.log.info({ channelId: channel.id, kind: channel.kind }, 'notification channel created');
    return { channel, secret: generated };
  }

  /** Replaces a channel with the input; a secret left out keeps the current one; enabling clears why it was disabled. */
  async update(id: string, input: NotificationChannelInput): Promise<NotificationChannel> {
    const valid = validateChannel(input, { allowPrivate: this.options.allowPrivateWebhooks, creating: false });
    const em = this.orm.em.fork();
    const channel = await em.findOne(NotificationChannel, { id: uuidOrThrow(id) });
    if (!channel) throw notFound('Notification channel', id);
    if (channel.kind !== valid.kind) throw badUserInput('input.kind', `a channel keeps its kind (${channel.kind}): create another channel`);
    em.assign(channel, {
      name: valid.name,
      url: valid.url,
      emails: valid.emails,
      enabled: valid.enabled,
      secret: valid.secret === undefined ? channel.secret : valid.secret,
      ...(valid.enabled ? { disabledReason: null, disabledAt: null } : {}),
      updatedAt: new Date(),
    });
    await this.flushNamed(em, valid.name);
    this.log.info({ channelId: channel.id }, 'notification channel updated');
    return channel;
  }

  /** Deletes a channel (rules stop sending to it); its unsent notifications fail with the reason, its past ones stay. */
  async delete(id: string): Promise<boolean> {
    const channelId = uuidOrThrow(id);
    const deleted = await this.sql.transaction(async (query) => {
      await query(
        `update alert_delivery set status = 'FAILED', last_error = 'the channel was deleted', locked_until = null
          where channel_id = $1 and status = 'PENDING'`,
        [channelId],
      );
      return (await query<{ id: string }>('delete from notification_channel where id = $1 returning id', [channelId])).length;
    });
    if (deleted === 0) throw notFound('Notification channel', id);
    this.log.info({ channelId }, 'notification channel deleted');
    return true;
  }

  /** Disables a channel whose receiver answered 410 Gone; returns the reason shown with the channel and in the inbox. */
  async disableGone(channelId: string, answer: string): Promise<string> {
    const reason = `disabled at ${new Date().toISOString()}: the receiver answered ${answer.slice(0, 200)}`;
    const [row] = await this.sql.query<{ name: string }>(
      `update notification_channel set enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
        where id = $1 and enabled returning name`,
      [channelId, reason],
    );
    if (row) this.log.warn({ channelId, answer }, 'notification channel disabled: its receiver is gone');
    return `channel "${row?.name ?? channelId}" was disabled`;
  }

  /**
   * Sends one real test message now (not through the outbox) and reports the receiver's answer. PagerDuty
   * gets a trigger (severity info) and at once its resolve, so no incident stays open.
   */
  async test(id: string, language: Language): Promise<ChannelTestResult> {
    const channel = await this.get(id);
    if (!channel) throw notFound('Notification channel', id);
    const message = testMessage(language, channel.name, this.options.publicUrl);
    const deliveryId = randomUUID();
    const send = (payload: unknown, target = channel.url ?? '') =>
      sendToChannel(
        { channel: channel.kind, target, payload: JSON.stringify(payload), secret: channel.secret ?? null, deliveryId },
        { timeoutMs: this.options.webhookTimeoutMs, allowPrivate: this.options.allowPrivateWebhooks },
        this.email,
      );
    let outcome: ChannelOutcome;
    switch (channel.kind) {
      case AlertChannel.WEBHOOK:
        outcome = await send({ type: 'test', deliveryId, occurredAt: new Date().toISOString(), summary: message.summary, message });
        break;
      case AlertChannel.SLACK:
        outcome = await send(slackPayload(message));
        break;
      case AlertChannel.FEISHU:
        outcome = await send(feishuPayload(message));
        break;
      case AlertChannel.DINGTALK:
        outcome = await send(dingTalkPayload(message));
        break;
      case AlertChannel.WECOM:
        outcome = await send(weComPayload(message));
        break;
      case AlertChannel.PAGERDUTY: {
        const dedupKey = `lumen-test-${deliveryId}`;
        outcome = await send(pagerDutyPayload(message, dedupKey, { timestamp: new Date(), metric: 'TEST' }));
        if (outcome.ok)
          await send(pagerDutyPayload({ ...message, event: 'RESOLVED' as never }, dedupKey, { timestamp: new Date(), metric: 'TEST' }));
        break;
      }
      case AlertChannel.EMAIL: {
        const mail = emailMessage(message);
        outcome = { ok: true, statusCode: null, error: null, retry: false, durationMs: 0 };
        for (const address of channel.emails) {
          outcome = await send(mail, address);
          if (!outcome.ok) break;
        }
        break;
      }
    }
    let disabled = false;
    if (outcome.gone) {
      await this.disableGone(channel.id, outcome.error ?? 'HTTP 410 Gone');
      disabled = true;
    }
    this.log.info({ channelId: channel.id, ok: outcome.ok, statusCode: outcome.statusCode }, 'notification channel tested');
    return {
      ok: outcome.ok,
      statusCode: outcome.statusCode,
      answer: outcome.answer ?? null,
      error: outcome.error,
      retryable: !outcome.ok && outcome.retry,
      disabled,
      durationMs: outcome.durationMs,
    };
  }

  private async flushNamed(em: ReturnType<MikroORM['em']['fork']>, name: string): Promise<void> {
    try {
      await em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw badUserInput('input.name', `a channel named "${name}" exists already`);
      throw error;
    }
  }
}
