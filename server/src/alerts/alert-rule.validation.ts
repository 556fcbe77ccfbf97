import { Decimal } from 'decimal.js';

import { badUserInput } from '../graphql/errors.js';
import { AlertMetric, AlertOperator, AlertRuleKind, AlertSeverity, BudgetPeriod } from './alert-rule.entity.js';
import type { AlertRuleInput } from './alert-rule.types.js';
import { RATE_METRICS } from './alert.condition.js';
import { isLanguage, LANGUAGES, type Language } from './alert.wording.js';
import { checkWebhookUrl, WebhookUrlError } from './delivery/webhook.url-guard.js';

export const MAX_WINDOW_MINUTES = 31 * 24 * 60;
export const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;
export const MAX_MIN_SAMPLES = 1_000_000_000;
export const MAX_EMAILS = 50;
export const MAX_DEVIATIONS = 100;
export const MAX_ANOMALY_WINDOW_MINUTES = 7 * 24 * 60;
export const MAX_PERIOD_DAYS = 366;
const MAX_NAME = 200;
const MAX_SCOPE = 256;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const SECRET = /^[\x21-\x7e]{16,256}$/;

/** A rule as stored: every field present and checked. webhookSecret is null when the input left it out. */
export interface ValidRule {
  name: string;
  kind: AlertRuleKind;
  budgetPeriod: BudgetPeriod | null;
  periodStart: Date | null;
  periodDays: number | null;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: number;
  appId: string | null;
  model: string | null;
  minSamples: number;
  severity: AlertSeverity;
  cooldownMinutes: number;
  webhookUrl: string | null;
  webhookSecret: string | null;
  emails: string[];
  language: Language;
  enabled: boolean;
}

/** Checks a rule at the edge; each refusal names the field (`input.threshold`) and says what is allowed. */
export function validateRule(input: AlertRuleInput, options: { allowPrivateWebhooks: boolean }): ValidRule {
  const field = (name: string) => `input.${name}`;
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME) throw badUserInput(field('name'), `must be 1 to ${MAX_NAME} characters`);
  if (!Object.values(AlertMetric).includes(input.metric))
    throw badUserInput(field('metric'), `must be one of ${Object.values(AlertMetric).join(', ')}`);
  if (!Object.values(AlertOperator).includes(input.operator))
    throw badUserInput(field('operator'), `must be one of ${Object.values(AlertOperator).join(', ')}`);

  const kind = input.kind ?? AlertRuleKind.THRESHOLD;
  if (!Object.values(AlertRuleKind).includes(kind))
    throw badUserInput(field('kind'), `must be one of ${Object.values(AlertRuleKind).join(', ')}`);
  const threshold = new Decimal(input.threshold);
  if (threshold.isNegative()) throw badUserInput(field('threshold'), 'must not be negative: every metric is zero or more');
  if (kind === AlertRuleKind.THRESHOLD && RATE_METRICS.has(input.metric) && threshold.greaterThan(1)) {
    throw badUserInput(field('threshold'), `${input.metric} is a fraction from 0 to 1: write 0.2 for 20 %`);
  }
  const windowMinutes = wholeNumber(input.windowMinutes, field('windowMinutes'), 1, MAX_WINDOW_MINUTES);
  const period = kindFields(kind, input, threshold, windowMinutes, field);

  return {
    name,
    kind,
    ...period,
    metric: input.metric,
    operator: input.operator,
    threshold: threshold.toFixed(),
    windowMinutes,
    appId: scope(input.appId, field('appId')),
    model: scope(input.model, field('model')),
    minSamples: wholeNumber(input.minSamples ?? 1, field('minSamples'), 0, MAX_MIN_SAMPLES),
    severity: input.severity ?? AlertSeverity.WARNING,
    cooldownMinutes: wholeNumber(input.cooldownMinutes ?? 60, field('cooldownMinutes'), 0, MAX_COOLDOWN_MINUTES),
    webhookUrl: webhookUrl(input.webhookUrl, field('webhookUrl'), options.allowPrivateWebhooks),
    webhookSecret: webhookSecret(input.webhookSecret, field('webhookSecret')),
    emails: emails(input.emails ?? [], field('emails')),
    language: language(input.language, field('language')),
    enabled: input.enabled ?? true,
  };
}

/**
 * The fields and limits of BUDGET and ANOMALY rules. A budget is on COST, fires above the budget (GT or
 * GTE) and needs its period; an anomaly's threshold is k, its direction the operator (GT/GTE above the
 * baseline band, LT/LTE below it, NEQ either side), and its window at most a week, so that the four
 * weekly baseline windows never overlap.
 */
function kindFields(
  kind: AlertRuleKind,
  input: AlertRuleInput,
  threshold: Decimal,
  windowMinutes: number,
  field: (name: string) => string,
): Pick<ValidRule, 'budgetPeriod' | 'periodStart' | 'periodDays'> {
  const none = { budgetPeriod: null, periodStart: null, periodDays: null };
  if (kind === AlertRuleKind.ANOMALY) {
    if (input.operator === AlertOperator.EQ)
      throw badUserInput(
        field('operator'),
        'an anomaly is a value away from the baseline: use GT or GTE (above), LT or LTE (below) or NEQ (either)',
      );
    if (!threshold.greaterThan(0) || threshold.greaterThan(MAX_DEVIATIONS))
      throw badUserInput(field('threshold'), `k, the number of deviations, must be more than 0 and at most ${MAX_DEVIATIONS}`);
    if (windowMinutes > MAX_ANOMALY_WINDOW_MINUTES)
      throw badUserInput(field('windowMinutes'), `an anomaly window is at most ${MAX_ANOMALY_WINDOW_MINUTES} minutes (7 days)`);
    return none;
  }
  if (kind === AlertRuleKind.THRESHOLD) return none;
  if (input.metric !== AlertMetric.COST) throw badUserInput(field('metric'), 'a BUDGET rule watches COST');
  if (input.operator !== AlertOperator.GT && input.operator !== AlertOperator.GTE)
    throw badUserInput(field('operator'), 'a budget fires above the budget: use GT or GTE');
  if (!threshold.greaterThan(0)) throw badUserInput(field('threshold'), 'the budget must be more than 0');
  const budgetPeriod = input.budgetPeriod ?? BudgetPeriod.MONTH;
  if (budgetPeriod === BudgetPeriod.MONTH) return { ...none, budgetPeriod };
  if (!input.periodStart || Number.isNaN(input.periodStart.getTime()))
    throw badUserInput(field('periodStart'), 'a CUSTOM budget period needs the start of its first period');
  const periodDays = wholeNumber(input.periodDays ?? 0, field('periodDays'), 1, MAX_PERIOD_DAYS);
  return { budgetPeriod, periodStart: input.periodStart, periodDays };
}

function language(value: string | null | undefined, field: string): Language {
  const chosen = value?.trim() || 'en';
  if (!isLanguage(chosen)) throw badUserInput(field, `must be one of ${LANGUAGES.join(', ')}`);
  return chosen;
}

function wholeNumber(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badUserInput(field, `must be a whole number from ${min} to ${max}`);
  return value;
}

function scope(value: string | null | undefined, field: string): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > MAX_SCOPE) throw badUserInput(field, `must be at most ${MAX_SCOPE} characters`);
  return trimmed || null;
}

function webhookUrl(value: string | null | undefined, field: string, allowPrivate: boolean): string | null {
  if (!value?.trim()) return null;
  try {
    return checkWebhookUrl(value, allowPrivate).toString();
  } catch (error) {
    if (error instanceof WebhookUrlError) throw badUserInput(field, error.message);
    throw error;
  }
}

function webhookSecret(value: string | null | undefined, field: string): string | null {
  if (value == null || value === '') return null;
  if (!SECRET.test(value)) throw badUserInput(field, 'must be 16 to 256 printable characters without spaces');
  return value;
}

function emails(values: string[], field: string): string[] {
  if (values.length > MAX_EMAILS) throw badUserInput(field, `must hold at most ${MAX_EMAILS} addresses`);
  const seen = new Map<string, string>();
  values.forEach((value, index) => {
    const address = value.trim();
    if (address.length > 254 || !EMAIL.test(address))
      throw badUserInput(`${field}.${index}`, `"${address.slice(0, 60)}" is not an email address`);
    if (!seen.has(address.toLowerCase())) seen.set(address.toLowerCase(), address);
  });
  return [...seen.values()];
}
