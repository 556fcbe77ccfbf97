import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

import { notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { AlertRule } from './alert-rule.entity.js';
import type { AlertRuleInput } from './alert-rule.types.js';
import { validateRule, type ValidRule } from './alert-rule.validation.js';
import { NotificationChannel } from './delivery/notification-channel.entity.js';
import type { NotificationChannelService } from './delivery/notification-channel.service.js';
import { generateWebhookSecret } from './delivery/webhook.signature.js';

/** Alert rules: create, read, replace, delete. Evaluation is the engine's (alert.engine.ts). */
export class AlertRuleService {
  constructor(
    private readonly orm: MikroORM,
    private readonly options: { allowPrivateWebhooks: boolean },
    private readonly channels: Pick<NotificationChannelService, 'existing'>,
    private readonly log: Logger,
  ) {}

  validate(input: AlertRuleInput): ValidRule {
    return validateRule(input, this.options);
  }

  list(): Promise<AlertRule[]> {
    return this.orm.em.fork().find(AlertRule, {}, { orderBy: { name: 'asc', createdAt: 'asc' } });
  }

  async get(id: string): Promise<AlertRule | null> {
    return this.orm.em.fork().findOne(AlertRule, { id: uuidOrThrow(id) });
  }

  /** Loads rules by id in one query (for the rule of each alert record in a response). */
  async byIds(ids: readonly string[]): Promise<Map<string, AlertRule>> {
    const rules = await this.orm.em.fork().find(AlertRule, { id: { $in: [...ids] } });
    return new Map(rules.map((rule) => [rule.id, rule]));
  }

  async create(input: AlertRuleInput): Promise<AlertRule> {
    const valid = this.validate(input);
    const channelIds = await this.channels.existing(input.channelIds ?? [], 'input.channelIds');
    const em = this.orm.em.fork();
    const rule = em.create(AlertRule, {
      ...valid,
      webhookSecret: valid.webhookSecret ?? generateWebhookSecret(),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    rule.channels.set(channelIds.map((id) => em.getReference(NotificationChannel, id)));
    await em.flush();
    this.log.info({ ruleId: rule.id, metric: rule.metric, operator: rule.operator, threshold: rule.threshold }, 'alert rule created');
    return rule;
  }

  /** Replaces a rule with the input; a webhookSecret or channelIds left out keep the current ones. */
  async update(id: string, input: AlertRuleInput): Promise<AlertRule> {
    const valid = this.validate(input);
    const channelIds = input.channelIds ? await this.channels.existing(input.channelIds, 'input.channelIds') : null;
    const em = this.orm.em.fork();
    const rule = await em.findOne(AlertRule, { id: uuidOrThrow(id) }, { populate: ['channels'] });
    if (!rule) throw notFound('Alert rule', id);
    em.assign(rule, { ...valid, webhookSecret: valid.webhookSecret ?? rule.webhookSecret, updatedAt: new Date() });
    if (channelIds) rule.channels.set(channelIds.map((channelId) => em.getReference(NotificationChannel, channelId)));
    await em.flush();
    this.log.info({ ruleId: rule.id }, 'alert rule updated');
    return rule;
  }

  /** Deletes a rule with its alert records and their deliveries. */
  async delete(id: string): Promise<boolean> {
    const deleted = await this.orm.em.fork().nativeDelete(AlertRule, { id: uuidOrThrow(id) });
    if (deleted === 0) throw notFound('Alert rule', id);
    this.log.info({ ruleId: id }, 'alert rule deleted');
    return true;
  }
}
