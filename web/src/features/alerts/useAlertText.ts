import { useI18n } from 'vue-i18n';

import type { AlertMetric, AlertOperator, AlertRuleKind, AlertStage, BudgetPeriod } from '../../graphql/generated/operations';
import { formatMetricValue, formatWindow, OPERATOR_SYMBOLS } from './alertUnits';

interface Condition {
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: number;
  kind?: AlertRuleKind;
  /** A budget alert's stage; a rule has none. */
  stage?: AlertStage | null;
  budgetPeriod?: BudgetPeriod | null;
}

/** Alert wording in the current locale: metric names, values in their unit, the condition a rule checks. */
export function useAlertText() {
  const { t, locale } = useI18n();
  const value = (metric: AlertMetric, amount: string | null | undefined) => formatMetricValue(metric, amount, locale.value);
  return {
    metric: (metric: AlertMetric) => t(`alerts.metric.${metric}`),
    value,
    window: (minutes: number) => formatWindow(minutes, locale.value),
    /** "Error rate was 35%", "Forecast was $640, with $120 spent", "Requests was 120, usually 40". */
    reading: (record: Condition & { value: string; expected?: string | null }) => {
      const shown = value(record.metric, record.value);
      if (record.kind === 'BUDGET' && record.stage === 'FORECAST')
        return t('alerts.readingForecast', { value: shown, spent: value('COST', record.expected) });
      if (record.kind === 'BUDGET' && record.stage === 'SPENT')
        return record.expected == null
          ? t('alerts.readingSpentOnly', { value: shown })
          : t('alerts.readingSpent', { value: shown, forecast: value('COST', record.expected) });
      if (record.kind === 'ANOMALY' && record.expected != null)
        return t('alerts.readingAnomaly', {
          metric: t(`alerts.metric.${record.metric}`),
          value: shown,
          usual: value(record.metric, record.expected),
        });
      return t('alerts.reading', { metric: t(`alerts.metric.${record.metric}`), value: shown });
    },
    /** "Error rate > 20% over 5 minutes", "Cost forecast for the month > $500 budget", … */
    condition: (rule: Condition) => {
      if (rule.kind === 'BUDGET') {
        const key =
          rule.stage === 'FORECAST' ? 'conditionBudgetForecast' : rule.stage === 'SPENT' ? 'conditionBudgetSpent' : 'conditionBudget';
        return t(`alerts.${key}`, {
          period: t(`alerts.budgetPeriodWord.${rule.budgetPeriod ?? 'CUSTOM'}`),
          operator: OPERATOR_SYMBOLS[rule.operator],
          budget: value('COST', rule.threshold),
        });
      }
      if (rule.kind === 'ANOMALY')
        return t('alerts.conditionAnomaly', {
          metric: t(`alerts.metric.${rule.metric}`),
          window: formatWindow(rule.windowMinutes, locale.value),
          direction: t(`alerts.directionWord.${rule.operator}`),
          k: rule.threshold,
        });
      return t('alerts.condition', {
        metric: t(`alerts.metric.${rule.metric}`),
        operator: OPERATOR_SYMBOLS[rule.operator],
        threshold: value(rule.metric, rule.threshold),
        window: formatWindow(rule.windowMinutes, locale.value),
      });
    },
  };
}
