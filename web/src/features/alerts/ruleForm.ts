import type { Problem } from '../../composables/useEditorForm';
import type {
  AlertMetric,
  AlertOperator,
  AlertRuleFieldsFragment,
  AlertRuleInput,
  AlertRuleKind,
  AlertSeverity,
  BudgetPeriod,
} from '../../graphql/generated/operations';
import { metricUnit, thresholdForApi, thresholdForDisplay } from './alertUnits';

/** An alert rule as the editor holds it: numbers as typed, the threshold in the metric's unit (20 for 20 %). */
export interface RuleForm {
  name: string;
  kind: AlertRuleKind;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: string;
  appId: string;
  model: string;
  minSamples: string;
  severity: AlertSeverity;
  cooldownMinutes: string;
  /** BUDGET rules: the month, or custom periods of periodDays days from periodStart (a UTC date, YYYY-MM-DD). */
  budgetPeriod: BudgetPeriod;
  periodStart: string;
  periodDays: string;
  webhookUrl: string;
  /** Addresses separated by commas, spaces or new lines. */
  emails: string;
  /** The named notification channels the rule tells. */
  channelIds: string[];
  /** The language of its notifications. */
  language: RuleLanguage;
  enabled: boolean;
}

export const RULE_LANGUAGES = ['en', 'zh-CN'] as const;
export type RuleLanguage = (typeof RULE_LANGUAGES)[number];

export const RULE_FIELDS = [
  'name',
  'metric',
  'operator',
  'threshold',
  'windowMinutes',
  'appId',
  'model',
  'minSamples',
  'cooldownMinutes',
  'periodStart',
  'periodDays',
  'webhookUrl',
  'emails',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
/** The API names the fields of AlertRuleInput `input.x` (an address in the list: `input.emails.3`). */
export const RULE_INPUT_FIELDS = [
  ...RULE_FIELDS.map((field) => `input.${field}`),
  ...Array.from({ length: 50 }, (_, i) => `input.emails.${i}`),
];

// The server's rules (server/src/alerts/alert-rule.validation.ts); the Decimal scalar keeps 10 fraction digits.
const NAME_MAX = 200;
const SCOPE_MAX = 256;
const MAX_WINDOW = 31 * 24 * 60;
const MAX_COOLDOWN = 7 * 24 * 60;
const MAX_MIN_SAMPLES = 1_000_000_000;
const MAX_EMAILS = 50;
const MAX_DEVIATIONS = 100;
const MAX_ANOMALY_WINDOW = 7 * 24 * 60;
const MAX_PERIOD_DAYS = 366;
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

export function emptyRuleForm(): RuleForm {
  return {
    name: '',
    kind: 'THRESHOLD',
    metric: 'ERROR_RATE',
    operator: 'GT',
    threshold: '',
    windowMinutes: '5',
    appId: '',
    model: '',
    minSamples: '10',
    severity: 'WARNING',
    cooldownMinutes: '60',
    budgetPeriod: 'MONTH',
    periodStart: '',
    periodDays: '30',
    webhookUrl: '',
    emails: '',
    channelIds: [],
    language: 'en',
    enabled: true,
  };
}

export function formFromRule(rule: AlertRuleFieldsFragment): RuleForm {
  return {
    name: rule.name,
    kind: rule.kind,
    metric: rule.metric,
    operator: rule.operator,
    threshold: rule.kind === 'THRESHOLD' ? thresholdForDisplay(rule.metric, rule.threshold) : rule.threshold,
    windowMinutes: String(rule.windowMinutes),
    appId: rule.appId ?? '',
    model: rule.model ?? '',
    minSamples: String(rule.minSamples),
    severity: rule.severity,
    cooldownMinutes: String(rule.cooldownMinutes),
    budgetPeriod: rule.budgetPeriod ?? 'MONTH',
    periodStart: rule.periodStart?.slice(0, 10) ?? '',
    periodDays: String(rule.periodDays ?? 30),
    webhookUrl: rule.webhookUrl ?? '',
    emails: rule.emails.join(', '),
    channelIds: rule.channels.map((channel) => channel.id),
    language: rule.language === 'zh-CN' ? 'zh-CN' : 'en',
    enabled: rule.enabled,
  };
}

export function emailList(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

function checkThreshold(kind: AlertRuleKind, metric: AlertMetric, typed: string): Problem | null {
  const text = typed.trim();
  if (text === '') return { key: 'required' };
  if (/^-/.test(text)) return { key: 'negative' };
  if (kind !== 'THRESHOLD') {
    if (!/^\d{1,18}(\.\d{1,10})?$/.test(text)) return { key: 'decimal', params: { digits: 10 } };
    if (Number(text) <= 0) return { key: kind === 'BUDGET' ? 'budgetPositive' : 'deviations', params: { max: MAX_DEVIATIONS } };
    return kind === 'ANOMALY' && Number(text) > MAX_DEVIATIONS ? { key: 'deviations', params: { max: MAX_DEVIATIONS } } : null;
  }
  const percent = metricUnit(metric) === 'percent';
  // A percentage loses two fraction digits on its way to a fraction.
  const digits = percent ? 8 : 10;
  if (!new RegExp(`^\\d{1,18}(\\.\\d{1,${digits}})?$`).test(text)) return { key: 'decimal', params: { digits } };
  if (percent && Number(text) > 100) return { key: 'percentMax' };
  return null;
}

function checkWhole(text: string, min: number, max: number): Problem | null {
  const value = text.trim();
  if (value === '') return { key: 'required' };
  return /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? null : { key: 'wholeNumber', params: { min, max } };
}

function checkUrl(text: string): Problem | null {
  const value = text.trim();
  if (value === '') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : { key: 'url' };
  } catch {
    return { key: 'url' };
  }
}

function checkEmails(text: string): Problem | null {
  const list = emailList(text);
  if (list.length > MAX_EMAILS) return { key: 'tooManyEmails', params: { max: MAX_EMAILS } };
  const bad = list.find((address) => address.length > 254 || !EMAIL.test(address));
  return bad ? { key: 'email', params: { address: bad } } : null;
}

/** Every problem the server would report, found before sending; empty when the form is valid. */
export function validateRuleForm(form: RuleForm): Partial<Record<RuleField, Problem>> {
  const problems: Partial<Record<RuleField, Problem>> = {};
  const add = (field: RuleField, problem: Problem | null) => {
    if (problem) problems[field] = problem;
  };
  const name = form.name.trim();
  add('name', name === '' ? { key: 'required' } : name.length > NAME_MAX ? { key: 'tooLong', params: { max: NAME_MAX } } : null);
  add('threshold', checkThreshold(form.kind, form.metric, form.threshold));
  add('windowMinutes', checkWhole(form.windowMinutes, 1, form.kind === 'ANOMALY' ? MAX_ANOMALY_WINDOW : MAX_WINDOW));
  if (form.kind === 'BUDGET') {
    add('metric', form.metric === 'COST' ? null : { key: 'budgetMetric' });
    add('operator', form.operator === 'GT' || form.operator === 'GTE' ? null : { key: 'budgetOperator' });
    if (form.budgetPeriod === 'CUSTOM') {
      add(
        'periodStart',
        /^\d{4}-\d{2}-\d{2}$/.test(form.periodStart) && !Number.isNaN(Date.parse(form.periodStart)) ? null : { key: 'date' },
      );
      add('periodDays', checkWhole(form.periodDays, 1, MAX_PERIOD_DAYS));
    }
  }
  if (form.kind === 'ANOMALY') add('operator', form.operator === 'EQ' ? { key: 'anomalyOperator' } : null);
  add('minSamples', checkWhole(form.minSamples, 0, MAX_MIN_SAMPLES));
  add('cooldownMinutes', checkWhole(form.cooldownMinutes, 0, MAX_COOLDOWN));
  for (const field of ['appId', 'model'] as const)
    add(field, form[field].trim().length > SCOPE_MAX ? { key: 'tooLong', params: { max: SCOPE_MAX } } : null);
  add('webhookUrl', checkUrl(form.webhookUrl));
  add('emails', checkEmails(form.emails));
  return problems;
}

/** Whether the fields a preview needs are valid (a preview needs no name and no channels). */
export function canPreview(problems: Partial<Record<RuleField, Problem>>): boolean {
  const needed: RuleField[] = [
    'metric',
    'operator',
    'threshold',
    'windowMinutes',
    'minSamples',
    'appId',
    'model',
    'periodStart',
    'periodDays',
  ];
  return needed.every((field) => !problems[field]);
}

/** The API input for a valid form. The webhook secret is left out: created with the rule, kept on update. */
export function toRuleInput(form: RuleForm): AlertRuleInput {
  return {
    name: form.name.trim(),
    kind: form.kind,
    metric: form.metric,
    operator: form.operator,
    threshold: form.kind === 'THRESHOLD' ? thresholdForApi(form.metric, form.threshold.trim()) : form.threshold.trim(),
    ...(form.kind === 'BUDGET'
      ? {
          budgetPeriod: form.budgetPeriod,
          periodStart: form.budgetPeriod === 'CUSTOM' ? `${form.periodStart}T00:00:00.000Z` : null,
          periodDays: form.budgetPeriod === 'CUSTOM' ? Number(form.periodDays) : null,
        }
      : {}),
    windowMinutes: Number(form.windowMinutes),
    appId: form.appId.trim() || null,
    model: form.model.trim() || null,
    minSamples: Number(form.minSamples),
    severity: form.severity,
    cooldownMinutes: Number(form.cooldownMinutes),
    webhookUrl: form.webhookUrl.trim() || null,
    emails: emailList(form.emails),
    channelIds: form.channelIds,
    language: form.language,
    enabled: form.enabled,
  };
}

/** What the server said about `input.emails.3` belongs to the addresses field. */
export function formField(apiField: string): string {
  return apiField.replace(/^input\./, '').replace(/^emails\.\d+$/, 'emails');
}
