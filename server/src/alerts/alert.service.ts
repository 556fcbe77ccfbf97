import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

import type { Config } from '../config.js';
import type { Sql } from '../db/sql.js';
import type { FeedbackService } from '../feedback/feedback.service.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import type { LumenPubSub } from '../graphql/pubsub.js';
import type { TimeRange } from '../graphql/time-range.js';
import type { PeriodicJob } from '../jobs/periodic-job.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import { AlertRecordService } from './alert-record.service.js';
import { AlertRuleKind } from './alert-rule.entity.js';
import { AlertRuleService } from './alert-rule.service.js';
import type { AlertPreview, AlertRuleInput, BudgetStatus, WebhookTestResult } from './alert-rule.types.js';
import { AlertSilenceService } from './alert-silence.service.js';
import { assessRule } from './alert.assess.js';
import { budgetPeriodAt } from './alert.budget.js';
import { AlertEngine } from './alert.engine.js';
import { LumenAlertMetrics, type AlertMetricSource } from './alert.metrics.js';
import { previewRule } from './alert.preview.js';
import { AlertTransitions } from './alert.transitions.js';
import { DeliveryDispatcher } from './delivery/alert-delivery.dispatcher.js';
import { EmailSender } from './delivery/email.sender.js';
import { NotificationChannelService } from './delivery/notification-channel.service.js';
import { sendWebhook } from './delivery/webhook.sender.js';
import { generateWebhookSecret } from './delivery/webhook.signature.js';
import { checkWebhookUrl, WebhookUrlError } from './delivery/webhook.url-guard.js';
import { AdvisoryEvaluatorLock, SoleEvaluator } from './evaluator.lock.js';

/** The alerts feature: rules, records, the evaluation engine and the notification dispatcher. */
export class Alerts {
  readonly rules: AlertRuleService;
  readonly records: AlertRecordService;
  readonly engine: AlertEngine;
  readonly deliveries: DeliveryDispatcher;
  readonly metrics: AlertMetricSource;
  readonly transitions: AlertTransitions;
  readonly channels: NotificationChannelService;
  readonly silences: AlertSilenceService;

  constructor(
    private readonly config: Config,
    sql: Sql,
    orm: MikroORM,
    pubsub: LumenPubSub,
    metrics: MetricsService,
    feedback: FeedbackService,
    private readonly log: Logger,
  ) {
    const { notifications } = config;
    // Links in messages point here: PUBLIC_URL, or this server on localhost.
    const publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
    const transitions = new AlertTransitions({ emailEnabled: notifications.smtp !== null, publicUrl });
    this.transitions = transitions;
    const email = notifications.smtp ? new EmailSender(notifications.smtp, Math.max(notifications.webhookTimeoutMs, 30_000)) : null;
    if (!email) log.info('email notifications are off: SMTP_HOST is not set (alert emails are recorded as SKIPPED)');
    this.channels = new NotificationChannelService(orm, sql, { ...notifications, publicUrl }, email, log);
    this.silences = new AlertSilenceService(orm, log);
    this.deliveries = new DeliveryDispatcher(sql, notifications, email, this.channels, log.child({ job: 'alert-deliveries' }));
    const notificationsQueued = () => this.deliveries.wake();
    this.metrics = new LumenAlertMetrics(metrics, feedback);
    const lock = config.database.kind === 'postgres' ? new AdvisoryEvaluatorLock(config.database.url, log) : new SoleEvaluator();
    this.engine = new AlertEngine(sql, transitions, this.metrics, lock, pubsub, notificationsQueued, log.child({ job: 'alert-engine' }));
    this.rules = new AlertRuleService(orm, { allowPrivateWebhooks: notifications.allowPrivateWebhooks }, this.channels, log);
    this.records = new AlertRecordService(sql, transitions, pubsub, notificationsQueued, log);
  }

  /** The engine every ALERT_EVAL_INTERVAL_SECONDS and the outbox poll. */
  jobs(): PeriodicJob[] {
    return [this.engine.job(this.config.alertEvalIntervalSeconds * 1000), this.deliveries.job()];
  }

  /** Stops sending (interrupted attempts are retried later, here or on another replica) and lets go of the evaluator lock. */
  async close(): Promise<void> {
    await Promise.all([this.deliveries.close(), this.engine.stop()]);
  }

  /** Replays a rule (not saved) over a past range and says when it would have fired. */
  /** Every enabled BUDGET rule with its current period, spend, forecast and budget (for the dashboard's cost card). */
  async budgets(): Promise<BudgetStatus[]> {
    const rules = (await this.rules.list()).filter((rule) => rule.enabled && rule.kind === AlertRuleKind.BUDGET);
    const now = new Date();
    return Promise.all(
      rules.map(async (rule) => {
        const judged = {
          ...rule,
          appId: rule.appId ?? null,
          model: rule.model ?? null,
          budgetPeriod: rule.budgetPeriod ?? null,
          periodStart: rule.periodStart ?? null,
          periodDays: rule.periodDays ?? null,
        };
        const period = budgetPeriodAt(judged, now);
        const assessment = await assessRule(this.metrics, judged, now);
        return {
          rule,
          periodStart: period?.start ?? null,
          periodEnd: period?.end ?? null,
          spent: assessment.value ?? '0',
          forecast: assessment.forecast ?? null,
          budget: rule.threshold,
        };
      }),
    );
  }

  preview(input: AlertRuleInput, range: TimeRange): Promise<AlertPreview> {
    return previewRule(this.metrics, this.rules.validate(input), range, this.config.alertEvalIntervalSeconds * 1000);
  }

  /**
   * Makes one signed test call at once (not through the outbox) and reports how it went. Signed with the
   * named rule's secret, or with a fresh secret returned in the result.
   */
  async testWebhook(url: string, ruleId: string | null | undefined): Promise<WebhookTestResult> {
    const { notifications } = this.config;
    try {
      checkWebhookUrl(url, notifications.allowPrivateWebhooks);
    } catch (error) {
      if (error instanceof WebhookUrlError) throw badUserInput('url', error.message);
      throw error;
    }
    let secret: string;
    let rule: { id: string; name: string } | null = null;
    if (ruleId) {
      const found = await this.rules.get(ruleId);
      if (!found) throw notFound('Alert rule', ruleId);
      secret = found.webhookSecret;
      rule = { id: found.id, name: found.name };
    } else {
      secret = generateWebhookSecret();
    }
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      type: 'test',
      deliveryId,
      occurredAt: new Date().toISOString(),
      summary: 'A test call from Lumen: the signature is made as for alerts.',
      rule,
    });
    const outcome = await sendWebhook(
      { url: url.trim(), body, secret, event: 'test', deliveryId },
      { timeoutMs: notifications.webhookTimeoutMs, allowPrivate: notifications.allowPrivateWebhooks },
    );
    this.log.info({ ok: outcome.ok, statusCode: outcome.statusCode, ruleId: rule?.id }, 'test webhook sent');
    return {
      ok: outcome.ok,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      secret: rule ? null : secret,
    };
  }
}
