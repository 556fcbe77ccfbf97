import { useI18n } from 'vue-i18n';

import type { AlertMetric, AlertOperator } from '../../graphql/generated/operations';
import { formatMetricValue, formatWindow, OPERATOR_SYMBOLS } from './alertUnits';

interface Condition {
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: number;
}

/** Alert wording in the current locale: metric names, values in their unit, the condition a rule checks. */
export function useAlertText() {
  const { t, locale } = useI18n();
  const value = (metric: AlertMetric, amount: string | null | undefined) => formatMetricValue(metric, amount, locale.value);
  return {
    metric: (metric: AlertMetric) => t(`alerts.metric.${metric}`),
    value,
    window: (minutes: number) => formatWindow(minutes, locale.value),
    /** "Error rate > 20% over 5 minutes" */
    condition: (rule: Condition) =>
      t('alerts.condition', {
        metric: t(`alerts.metric.${rule.metric}`),
        operator: OPERATOR_SYMBOLS[rule.operator],
        threshold: value(rule.metric, rule.threshold),
        window: formatWindow(rule.windowMinutes, locale.value),
      }),
  };
}
