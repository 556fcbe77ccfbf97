import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { LumenContext } from '../graphql/context.js';
import { notFound } from '../graphql/errors.js';
import { TimeRangeInput } from '../graphql/time-range.js';
import { AlertRule } from './alert-rule.entity.js';
import { AlertPreview, AlertRuleInput, BudgetStatus, WebhookTestResult } from './alert-rule.types.js';
import { NotificationChannel } from './delivery/notification-channel.entity.js';
import { maskWebhookUrl } from './delivery/webhook.url-guard.js';

@Resolver(() => AlertRule)
export class AlertRuleResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => [AlertRule], { description: 'Every alert rule, by name. READ or ADMIN.' })
  alertRules(@Ctx() { services }: LumenContext): Promise<AlertRule[]> {
    return services.alerts.rules.list();
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => AlertRule, { nullable: true, description: 'One alert rule. READ or ADMIN.' })
  alertRule(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<AlertRule | null> {
    return services.alerts.rules.get(id);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => [BudgetStatus], {
    description: 'Every enabled BUDGET rule with its current period, spend so far, forecast and budget. READ or ADMIN.',
  })
  alertBudgets(@Ctx() { services }: LumenContext): Promise<BudgetStatus[]> {
    return services.alerts.budgets();
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => AlertRule, { description: 'Adds an alert rule; it is evaluated from the next interval on. ADMIN.' })
  createAlertRule(@Ctx() { services }: LumenContext, @Arg('input', () => AlertRuleInput) input: AlertRuleInput): Promise<AlertRule> {
    return services.alerts.rules.create(input);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => AlertRule, {
    description: 'Replaces an alert rule with the input (an open alert keeps the threshold it fired with). ADMIN.',
  })
  updateAlertRule(
    @Ctx() { services }: LumenContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AlertRuleInput) input: AlertRuleInput,
  ): Promise<AlertRule> {
    return services.alerts.rules.update(id, input);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => Boolean, { description: 'Deletes an alert rule with its alert records. ADMIN.' })
  deleteAlertRule(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return services.alerts.rules.delete(id);
  }

  @Authorized(ApiKeyRole.READ)
  @Mutation(() => AlertPreview, {
    description:
      'Evaluates a rule (without saving it) over a past range as the engine would have, and says when it would have fired and resolved. READ or ADMIN.',
  })
  previewAlertRule(
    @Ctx() { services }: LumenContext,
    @Arg('input', () => AlertRuleInput) input: AlertRuleInput,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
  ): Promise<AlertPreview> {
    return services.alerts.preview(input, range);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => WebhookTestResult, {
    description:
      "Sends one signed test call to a URL now and reports the answer. Signed with the rule's secret when ruleId is given, else with a fresh secret returned in the result. ADMIN.",
  })
  async testWebhook(
    @Ctx() { services }: LumenContext,
    @Arg('url', () => String) url: string,
    @Arg('ruleId', () => ID, { nullable: true }) ruleId: string | null,
  ): Promise<WebhookTestResult> {
    return services.alerts.testWebhook(url, ruleId);
  }

  @FieldResolver(() => [NotificationChannel], { description: 'The named notification channels the rule tells, by name.' })
  channels(@Root() rule: AlertRule, @Ctx() { loaders }: LumenContext): Promise<NotificationChannel[]> {
    return loaders.ruleChannels.load(rule.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Called with a signed JSON POST when an alert fires, repeats and resolves. Keys below ADMIN see its origin only (such URLs often hold a token).',
  })
  webhookUrl(@Root() rule: AlertRule, @Ctx() { principal }: LumenContext): string | null {
    if (!rule.webhookUrl) return null;
    return principal?.role === ApiKeyRole.ADMIN ? rule.webhookUrl : maskWebhookUrl(rule.webhookUrl);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @FieldResolver(() => String, { description: "The secret that signs this rule's webhook calls (X-Lumen-Signature). ADMIN only." })
  webhookSecret(@Root() rule: AlertRule): string {
    if (!rule.webhookSecret) throw notFound('Alert rule', rule.id);
    return rule.webhookSecret;
  }
}
