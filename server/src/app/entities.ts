import { AlertRecord } from '../alerts/alert-record.entity.js';
import { AlertRule } from '../alerts/alert-rule.entity.js';
import { AlertSilence } from '../alerts/alert-silence.entity.js';
import { AlertDelivery } from '../alerts/delivery/alert-delivery.entity.js';
import { NotificationChannel } from '../alerts/delivery/notification-channel.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { ModelCostConfig } from '../costs/cost-config.entity.js';
import type { Entities } from '../db/orm.js';
import { UserFeedback } from '../feedback/feedback.entity.js';
import { AppLog, LogEvent } from '../logs/log.entity.js';
import { MetricPending } from '../metrics/metric-pending.entity.js';
import { MetricRollup } from '../metrics/metric-rollup.entity.js';
import { Span, TraceSummary } from '../traces/span.entity.js';

/** Every entity; listed explicitly so the same list works under tsc output, tsx and vitest. */
export const entities: Entities = [
  ApiKey,
  AppLog,
  LogEvent,
  ModelCostConfig,
  UserFeedback,
  NotificationChannel,
  AlertRule,
  AlertRecord,
  AlertSilence,
  AlertDelivery,
  MetricRollup,
  MetricPending,
  Span,
  TraceSummary,
];
