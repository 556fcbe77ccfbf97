import { Decimal } from 'decimal.js';

import { badUserInput } from '../graphql/errors.js';
import { AlertMetric, AlertOperator, AlertSeverity } from './alert-rule.entity.js';
import type { AlertRuleInput } from './alert-rule.types.js';
import { RATE_METRICS } from './alert.condition.js';
import { isLanguage, LANGUAGES, type Language } from './alert.wording.js';
import { checkWebhookUrl, WebhookUrlError } from './delivery/webhook.url-guard.js';

export const MAX_WINDOW_MINUTES = 31 * 24 * 60;
export const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;
export const MAX_MIN_SAMPLES = 1_000_000_000;
export const MAX_EMAILS = 50;
const MAX_NAME = 200;
const MAX_SCOPE = 256;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const SECRET = /^[\x21-\x7e]{16,256}$/;

/** A rule as stored: every field present and checked. webhookSecret is null when the input left it out. */
export interface ValidRule {
  name: string;
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

  const threshold = new Decimal(input.threshold);
  if (threshold.isNegative()) throw badUserInput(field('threshold'), 'must not be negative: every metric is zero or more');
  if (RATE_METRICS.has(input.metric) && threshold.greaterThan(1)) {
    throw badUserInput(field('threshold'), `${input.metric} is a fraction from 0 to 1: write 0.2 for 20 %`);
  }

  return {
    name,
    metric: input.metric,
    operator: input.operator,
    threshold: threshold.toFixed(),
    windowMinutes: wholeNumber(input.windowMinutes, field('windowMinutes'), 1, MAX_WINDOW_MINUTES),
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
