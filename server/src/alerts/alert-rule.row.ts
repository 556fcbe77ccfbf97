import type { AlertMetric, AlertOperator, AlertRuleKind, AlertSeverity, BudgetPeriod } from './alert-rule.entity.js';

/** Selects an alert_rule row in the shape of RuleRow. */
export const RULE_COLUMNS = `id, name, metric, operator, threshold::text as threshold, window_minutes, app_id, model, min_samples,
  severity, cooldown_minutes, enabled, webhook_url, emails, language, kind, budget_period, period_start, period_days`;

/** An alert_rule row as raw SQL reads it (the engine and the outbox). */
export interface RuleRow {
  id: string;
  name: string;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  window_minutes: number;
  app_id: string | null;
  model: string | null;
  min_samples: number;
  severity: AlertSeverity;
  cooldown_minutes: number;
  enabled: boolean;
  webhook_url: string | null;
  emails: string[];
  language: string;
  kind: AlertRuleKind;
  budget_period: BudgetPeriod | null;
  period_start: Date | null;
  period_days: number | null;
}
