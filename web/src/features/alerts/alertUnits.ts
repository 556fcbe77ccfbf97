import { formatDecimalNumber, formatDuration, formatInteger, formatMoney, formatPercent } from '../../format';
import type { AlertMetric, AlertOperator, AlertRuleKind } from '../../graphql/generated/operations';

export const ALERT_METRICS: readonly AlertMetric[] = [
  'ERROR_RATE',
  'LATENCY_P95',
  'LATENCY_P99',
  'LATENCY_P50',
  'LATENCY_AVG',
  'TTFT_P95',
  'TTFT_P50',
  'OUTPUT_TOKENS_PER_SECOND',
  'COST',
  'TOKENS',
  'REQUEST_COUNT',
  'NEGATIVE_FEEDBACK_RATE',
];
export const ALERT_KINDS: readonly AlertRuleKind[] = ['THRESHOLD', 'BUDGET', 'ANOMALY'];
export const ALERT_OPERATORS: readonly AlertOperator[] = ['GT', 'GTE', 'LT', 'LTE', 'EQ', 'NEQ'];
export const OPERATOR_SYMBOLS: Record<AlertOperator, string> = { GT: '>', GTE: '≥', LT: '<', LTE: '≤', EQ: '=', NEQ: '≠' };

/**
 * How a metric's value is written: rates as percentages, latencies and times to first token in
 * milliseconds, cost as money, throughput in tokens per second, the rest as counts.
 */
export type MetricUnit = 'percent' | 'ms' | 'money' | 'tokensPerSecond' | 'count';

export function metricUnit(metric: AlertMetric): MetricUnit {
  if (metric === 'ERROR_RATE' || metric === 'NEGATIVE_FEEDBACK_RATE') return 'percent';
  if (metric.startsWith('LATENCY_') || metric.startsWith('TTFT_')) return 'ms';
  if (metric === 'COST') return 'money';
  if (metric === 'OUTPUT_TOKENS_PER_SECOND') return 'tokensPerSecond';
  return 'count';
}

/** Cost thresholds and values are in the cost table's currency; the dashboard shows it as USD. */
export const ALERT_CURRENCY = 'USD';

/** Moves the decimal point of a non-negative decimal string by `places` (positive: right), exactly. */
export function shiftDecimal(text: string, places: number): string {
  const [whole = '0', fraction = ''] = text.split('.');
  let digits = whole + fraction;
  let point = whole.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const rest = digits.slice(point).replace(/0+$/, '');
  return rest ? `${integer}.${rest}` : integer;
}

/** The API's threshold (a fraction for rates) as the editor shows it (a percentage for rates). */
export function thresholdForDisplay(metric: AlertMetric, threshold: string): string {
  return metricUnit(metric) === 'percent' ? shiftDecimal(threshold, 2) : threshold;
}

/** A threshold typed in the editor's unit as the API takes it: "20" % is "0.2". */
export function thresholdForApi(metric: AlertMetric, typed: string): string {
  return metricUnit(metric) === 'percent' ? shiftDecimal(typed, -2) : typed;
}

/** A metric's value (a decimal string from the API) for people: "35.2%", "3.1 s", "$12.40", "1,204". */
export function formatMetricValue(metric: AlertMetric, value: string | null | undefined, locale: string): string {
  if (value == null) return '—';
  switch (metricUnit(metric)) {
    case 'percent':
      return formatPercent(Number(value), locale, 2);
    case 'ms':
      return formatDuration(Number(value), locale);
    case 'money':
      return formatMoney(value, ALERT_CURRENCY, locale);
    case 'tokensPerSecond':
      return `${formatDecimalNumber(Number(value), locale)} tok/s`;
    case 'count':
      return formatInteger(Number(value), locale);
  }
}

/** A window in the largest whole unit: 90 → "90 min", 120 → "2 h", 1440 → "1 d". */
export function windowParts(minutes: number): { value: number; unit: 'minute' | 'hour' | 'day' } {
  if (minutes % 1440 === 0) return { value: minutes / 1440, unit: 'day' };
  if (minutes % 60 === 0) return { value: minutes / 60, unit: 'hour' };
  return { value: minutes, unit: 'minute' };
}

export function formatWindow(minutes: number, locale: string): string {
  const { value, unit } = windowParts(minutes);
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
