import { Decimal } from 'decimal.js';

import { AlertMetric, AlertOperator } from './alert-rule.entity.js';

/** Values and thresholds are stored as NUMERIC(30,10): comparisons happen at that scale, so EQ means equal as stored. */
export const VALUE_SCALE = 10;

/** The metrics whose value is a share from 0 to 1. */
export const RATE_METRICS: ReadonlySet<AlertMetric> = new Set([AlertMetric.ERROR_RATE, AlertMetric.NEGATIVE_FEEDBACK_RATE]);

/** A metric's value as stored in a record: a decimal rounded to the stored scale. */
export function toStoredDecimal(value: number | string): Decimal {
  return new Decimal(value).toDecimalPlaces(VALUE_SCALE, Decimal.ROUND_HALF_UP);
}

/** Whether `value OPERATOR threshold` holds, compared exactly as decimals. */
export function breaches(value: Decimal, operator: AlertOperator, threshold: Decimal): boolean {
  const order = value.comparedTo(threshold);
  switch (operator) {
    case AlertOperator.GT:
      return order > 0;
    case AlertOperator.GTE:
      return order >= 0;
    case AlertOperator.LT:
      return order < 0;
    case AlertOperator.LTE:
      return order <= 0;
    case AlertOperator.EQ:
      return order === 0;
    case AlertOperator.NEQ:
      return order !== 0;
  }
}

const OPERATOR_SIGN: Record<AlertOperator, string> = { GT: '>', GTE: '>=', LT: '<', LTE: '<=', EQ: '=', NEQ: '<>' };

export interface ConditionParts {
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: number;
  appId?: string | null;
  model?: string | null;
}

/** "ERROR_RATE > 0.2 over 5 min (app chat, model gpt-4o)": the condition in words for notifications. */
export function describeCondition(parts: ConditionParts): string {
  const scope = [parts.appId ? `app ${parts.appId}` : null, parts.model ? `model ${parts.model}` : null].filter(Boolean);
  return `${parts.metric} ${OPERATOR_SIGN[parts.operator]} ${formatDecimal(parts.threshold)} over ${parts.windowMinutes} min${scope.length ? ` (${scope.join(', ')})` : ''}`;
}

/** "0.3500000000" -> "0.35". */
export function formatDecimal(value: string): string {
  return new Decimal(value).toString();
}
