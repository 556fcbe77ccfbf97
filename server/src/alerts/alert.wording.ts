import type { AlertMetric, AlertOperator, AlertSeverity } from './alert-rule.entity.js';

/**
 * Alerts in words, in the rule's language, for notifications. The sentences are the ones the web inbox
 * shows (web/src/features/alerts/alertUnits.ts and the alerts section of web/src/i18n): a person who
 * gets "Error rate > 20% over 10 minutes" in Slack finds the same words on the alert in Lumen.
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

const METRIC_NAMES: Record<Language, Partial<Record<string, string>>> = {
  en: {
    ERROR_RATE: 'Error rate',
    LATENCY_AVG: 'Average latency',
    LATENCY_P50: 'P50 latency',
    LATENCY_P95: 'P95 latency',
    LATENCY_P99: 'P99 latency',
    COST: 'Cost',
    TOKENS: 'Tokens',
    REQUEST_COUNT: 'Requests',
    NEGATIVE_FEEDBACK_RATE: 'Negative feedback rate',
    TTFT_P50: 'P50 time to first token',
    TTFT_P95: 'P95 time to first token',
    OUTPUT_TOKENS_PER_SECOND: 'Output tokens per second',
  },
  'zh-CN': {
    ERROR_RATE: '错误率',
    LATENCY_AVG: '平均延迟',
    LATENCY_P50: 'P50 延迟',
    LATENCY_P95: 'P95 延迟',
    LATENCY_P99: 'P99 延迟',
    COST: '费用',
    TOKENS: 'Token 数',
    REQUEST_COUNT: '请求数',
    NEGATIVE_FEEDBACK_RATE: '差评率',
    TTFT_P50: 'P50 首 Token 时间',
    TTFT_P95: 'P95 首 Token 时间',
    OUTPUT_TOKENS_PER_SECOND: '每秒输出 Token 数',
  },
};

const OPERATOR_SYMBOLS: Record<AlertOperator, string> = { GT: '>', GTE: '≥', LT: '<', LTE: '≤', EQ: '=', NEQ: '≠' };

/** Cost is in the cost table's currency, which the dashboard shows as USD. */
const CURRENCY = 'USD';

/** The fixed words of a notification. */
export interface Phrases {
  condition: (parts: { metric: string; operator: string; threshold: string; window: string }) => string;
  budgetForecast: (parts: { operator: string; budget: string }) => string;
  budgetSpent: (parts: { operator: string; budget: string }) => string;
  anomaly: (parts: { metric: string; k: string; window: string; direction: 'above' | 'below' | 'away' }) => string;
  state: { FIRED: string; REMINDER: string; ACKNOWLEDGED: string; RESOLVED: string; TEST: string };
  severity: Record<AlertSeverity, string>;
  value: string;
  scope: string;
  allCalls: string;
  app: (app: string) => string;
  model: (model: string) => string;
  severityLabel: string;
  rule: string;
  firedAt: string;
  acknowledgedBy: string;
  resolvedBy: string;
  resolvedByItself: string;
  openAlert: string;
  failingCalls: string;
  testBody: string;
}

export const PHRASES: Record<Language, Phrases> = {
  en: {
    condition: ({ metric, operator, threshold, window }) => `${metric} ${operator} ${threshold} over ${window}`,
    budgetForecast: ({ operator, budget }) => `Cost forecast for the period ${operator} ${budget} budget`,
    budgetSpent: ({ operator, budget }) => `Cost so far this period ${operator} ${budget} budget`,
    anomaly: ({ metric, k, window, direction }) =>
      `${metric} over ${window} more than ${k} deviations ${direction === 'away' ? 'away from' : direction} the usual for this hour of the week`,
    state: { FIRED: 'FIRING', REMINDER: 'STILL FIRING', ACKNOWLEDGED: 'ACKNOWLEDGED', RESOLVED: 'RESOLVED', TEST: 'TEST' },
    severity: { CRITICAL: 'Critical', WARNING: 'Warning', INFO: 'Info' },
    value: 'Value',
    scope: 'Scope',
    allCalls: 'All apps, all models',
    app: (app) => `App ${app}`,
    model: (model) => `Model ${model}`,
    severityLabel: 'Severity',
    rule: 'Rule',
    firedAt: 'Fired at',
    acknowledgedBy: 'Acknowledged by',
    resolvedBy: 'Resolved by',
    resolvedByItself: 'the condition cleared',
    openAlert: 'Open the alert',
    failingCalls: 'See the failing calls',
    testBody: 'A test message from Lumen: this channel receives alert notifications.',
  },
  'zh-CN': {
    condition: ({ metric, operator, threshold, window }) => `${window}内${metric} ${operator} ${threshold}`,
    budgetForecast: ({ operator, budget }) => `本周期费用预测 ${operator} 预算 ${budget}`,
    budgetSpent: ({ operator, budget }) => `本周期已花费 ${operator} 预算 ${budget}`,
    anomaly: ({ metric, k, window, direction }) =>
      `${window}内${metric}${direction === 'above' ? '高于' : direction === 'below' ? '低于' : '偏离'}每周同一时段的基线超过 ${k} 个偏差`,
    state: { FIRED: '告警中', REMINDER: '仍在告警', ACKNOWLEDGED: '已确认', RESOLVED: '已解决', TEST: '测试' },
    severity: { CRITICAL: '严重', WARNING: '警告', INFO: '提示' },
    value: '当前值',
    scope: '范围',
    allCalls: '全部应用、全部模型',
    app: (app) => `应用 ${app}`,
    model: (model) => `模型 ${model}`,
    severityLabel: '级别',
    rule: '规则',
    firedAt: '触发时间',
    acknowledgedBy: '确认人',
    resolvedBy: '解决人',
    resolvedByItself: '条件已恢复',
    openAlert: '查看告警',
    failingCalls: '查看失败的调用',
    testBody: '来自 Lumen 的测试消息：此渠道将接收告警通知。',
  },
};

export function metricName(metric: AlertMetric | string, language: Language): string {
  return METRIC_NAMES[language][metric] ?? metric;
}

type Unit = 'percent' | 'ms' | 'money' | 'tokensPerSecond' | 'count';

function unitOf(metric: string): Unit {
  if (metric.endsWith('_RATE')) return 'percent';
  if (metric.startsWith('LATENCY_') || metric.startsWith('TTFT_')) return 'ms';
  if (metric === 'COST') return 'money';
  if (metric === 'OUTPUT_TOKENS_PER_SECOND') return 'tokensPerSecond';
  return 'count';
}

// Intl formats a decimal string exactly (Intl.NumberFormat v3); its types only say number.
const decimal = (value: string) => value as unknown as number;

/** A metric's value in its unit, as the inbox writes it: "35.2%", "3.1 s", "$12.40", "1,204". */
export function formatValue(metric: string, value: string, language: Language): string {
  switch (unitOf(metric)) {
    case 'percent':
      return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 2 }).format(Number(value));
    case 'ms': {
      const ms = Number(value);
      if (ms < 1000) return new Intl.NumberFormat(language, { style: 'unit', unit: 'millisecond', maximumFractionDigits: 0 }).format(ms);
      return new Intl.NumberFormat(language, { style: 'unit', unit: 'second', maximumFractionDigits: 2 }).format(ms / 1000);
    }
    case 'money':
      return new Intl.NumberFormat(language, {
        style: 'currency',
        currency: CURRENCY,
        minimumFractionDigits: 2,
        maximumFractionDigits: 6,
        maximumSignificantDigits: 2,
        roundingPriority: 'morePrecision',
      }).format(decimal(value));
    case 'tokensPerSecond':
      return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(Number(value))} tok/s`;
    case 'count':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(Number(value));
  }
}

/** A window in its largest whole unit: "10 minutes", "2 hours", "1 day" / "10分钟". */
export function formatWindow(minutes: number, language: Language): string {
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** "Error rate > 20% over 10 minutes" / "10分钟内错误率 > 20%": the inbox's sentence for a condition. */
export function conditionSentence(
  parts: { metric: AlertMetric | string; operator: AlertOperator; threshold: string; windowMinutes: number; kind?: string; stage?: string },
  language: Language,
): string {
  const phrases = PHRASES[language];
  if (parts.kind === 'BUDGET') {
    const budget = { operator: OPERATOR_SYMBOLS[parts.operator], budget: formatValue('COST', parts.threshold, language) };
    return parts.stage === 'SPENT' ? phrases.budgetSpent(budget) : phrases.budgetForecast(budget);
  }
  if (parts.kind === 'ANOMALY') {
    const direction = parts.operator.startsWith('G') ? 'above' : parts.operator.startsWith('L') ? 'below' : 'away';
    return phrases.anomaly({
      metric: metricName(parts.metric, language),
      k: new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(Number(parts.threshold)),
      window: formatWindow(parts.windowMinutes, language),
      direction,
    });
  }
  return phrases.condition({
    metric: metricName(parts.metric, language),
    operator: OPERATOR_SYMBOLS[parts.operator],
    threshold: formatValue(parts.metric, parts.threshold, language),
    window: formatWindow(parts.windowMinutes, language),
  });
}

/** "App chat · Model gpt-4o" or "All apps, all models". */
export function scopeSentence(scope: { appId?: string | null; model?: string | null }, language: Language): string {
  const phrases = PHRASES[language];
  const parts = [scope.appId ? phrases.app(scope.appId) : null, scope.model ? phrases.model(scope.model) : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : phrases.allCalls;
}
