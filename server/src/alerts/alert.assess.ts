import { Decimal } from 'decimal.js';

import { AlertStage } from './alert-record.entity.js';
import { AlertMetric, AlertOperator, AlertRuleKind, type BudgetPeriod } from './alert-rule.entity.js';
import { band, BASELINE_WEEKS, robustBaseline, WEEK_MS } from './alert.anomaly.js';
import { budgetPeriodAt, linearForecast } from './alert.budget.js';
import { breaches, toStoredDecimal } from './alert.condition.js';
import type { AlertMetricSource, Measurement } from './alert.metrics.js';

/** What judging a rule needs, whether it is stored (the engine) or only typed (a preview). */
export interface JudgedRule {
  kind: AlertRuleKind;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: number;
  appId: string | null;
  model: string | null;
  minSamples: number;
  budgetPeriod: BudgetPeriod | null;
  periodStart: Date | null;
  periodDays: number | null;
}

/** What evaluating a rule concluded: breaching, clear, or not judged (too few samples, nothing to measure). */
export type Verdict = { kind: 'breach'; value: string } | { kind: 'clear' } | { kind: 'not-judged'; reason: string };

/** One condition of a rule at an instant: a rule has one, a BUDGET rule two (FORECAST and SPENT), each with its own record. */
export interface StageVerdict {
  /** '' for THRESHOLD and ANOMALY rules. */
  stage: '' | AlertStage;
  verdict: Verdict;
  /** What the value was judged against (recorded with the alert): see AlertRecord.expected. */
  expected: string | null;
}

/** A rule judged at one instant, with what a preview draws. */
export interface Assessment {
  /** The metric over the window; for BUDGET the spend since the period started. */
  value: string | null;
  samples: number;
  stages: StageVerdict[];
  forecast?: string | null;
  baseline?: { median: string; lower: string; upper: string } | null;
}

/** Judges a measurement against a threshold: fewer samples than minSamples, or no value, is not judged. */
export function judge(rule: { operator: AlertOperator; threshold: string; minSamples: number }, measured: Measurement): Verdict {
  if (measured.samples < rule.minSamples)
    return { kind: 'not-judged', reason: `${measured.samples} samples, fewer than ${rule.minSamples}` };
  if (measured.value === null) return { kind: 'not-judged', reason: 'no value' };
  const value = toStoredDecimal(measured.value);
  return breaches(value, rule.operator, new Decimal(rule.threshold)) ? { kind: 'breach', value: value.toFixed() } : { kind: 'clear' };
}

/** Evaluates a rule as of `at` (the end of its window), as the engine and previews both do. */
export function assessRule(source: AlertMetricSource, rule: JudgedRule, at: Date): Promise<Assessment> {
  if (rule.kind === AlertRuleKind.BUDGET) return assessBudget(source, rule, at);
  if (rule.kind === AlertRuleKind.ANOMALY) return assessAnomaly(source, rule, at);
  return assessThreshold(source, rule, at);
}

function measureWindow(source: AlertMetricSource, rule: JudgedRule, to: Date): Promise<Measurement> {
  return source.measure(
    rule.metric,
    { from: new Date(to.getTime() - rule.windowMinutes * 60_000), to },
    { appId: rule.appId, model: rule.model },
  );
}

const stored = (value: string | null) => (value === null ? null : toStoredDecimal(value).toFixed());

async function assessThreshold(source: AlertMetricSource, rule: JudgedRule, at: Date): Promise<Assessment> {
  const measured = await measureWindow(source, rule, at);
  return {
    value: stored(measured.value),
    samples: measured.samples,
    stages: [{ stage: '', verdict: judge(rule, measured), expected: null }],
  };
}

/** The spend since the period started against the budget, and the forecast for its end against it too. */
async function assessBudget(source: AlertMetricSource, rule: JudgedRule, at: Date): Promise<Assessment> {
  const period = budgetPeriodAt(rule, at);
  if (!period) {
    const verdict: Verdict = { kind: 'not-judged', reason: 'before the first budget period' };
    return {
      value: null,
      samples: 0,
      forecast: null,
      stages: [AlertStage.FORECAST, AlertStage.SPENT].map((stage) => ({ stage, verdict, expected: null })),
    };
  }
  const measured = await source.measure(AlertMetric.COST, { from: period.start, to: at }, { appId: rule.appId, model: rule.model });
  const spent = stored(measured.value ?? '0')!;
  const forecast = linearForecast(spent, period, at);
  return {
    value: spent,
    samples: measured.samples,
    forecast,
    stages: [
      {
        stage: AlertStage.FORECAST,
        verdict:
          forecast === null
            ? { kind: 'not-judged', reason: 'too early in the period to forecast' }
            : judge(rule, { value: forecast, samples: measured.samples }),
        expected: spent,
      },
      { stage: AlertStage.SPENT, verdict: judge(rule, { value: spent, samples: measured.samples }), expected: forecast },
    ],
  };
}

/** The window's value against the same window in each of the last weeks (see alert.anomaly.ts). */
async function assessAnomaly(source: AlertMetricSource, rule: JudgedRule, at: Date): Promise<Assessment> {
  const [current, ...weeks] = await Promise.all(
    Array.from({ length: BASELINE_WEEKS + 1 }, (_, week) => measureWindow(source, rule, new Date(at.getTime() - week * WEEK_MS))),
  );
  const usable = weeks.filter((week) => week.value !== null && week.samples >= rule.minSamples).map((week) => Number(week.value));
  const baseline = robustBaseline(usable);
  const value = stored(current!.value);
  const result = (verdict: Verdict, expected: string | null, drawn: Assessment['baseline']): Assessment => ({
    value,
    samples: current!.samples,
    baseline: drawn,
    stages: [{ stage: '', verdict, expected }],
  });
  if (!baseline) return result({ kind: 'not-judged', reason: `${usable.length} usable baseline weeks, fewer than 3` }, null, null);
  const limits = band(baseline, Number(rule.threshold));
  const drawn = { median: stored(String(baseline.median))!, lower: stored(String(limits.lower))!, upper: stored(String(limits.upper))! };
  if (current!.samples < rule.minSamples)
    return result({ kind: 'not-judged', reason: `${current!.samples} samples, fewer than ${rule.minSamples}` }, drawn.median, drawn);
  if (value === null) return result({ kind: 'not-judged', reason: 'no value' }, drawn.median, drawn);
  const above = breaches(
    new Decimal(value),
    rule.operator === AlertOperator.GTE ? AlertOperator.GTE : AlertOperator.GT,
    new Decimal(drawn.upper),
  );
  const below = breaches(
    new Decimal(value),
    rule.operator === AlertOperator.LTE ? AlertOperator.LTE : AlertOperator.LT,
    new Decimal(drawn.lower),
  );
  const breach =
    rule.operator === AlertOperator.GT || rule.operator === AlertOperator.GTE
      ? above
      : rule.operator === AlertOperator.LT || rule.operator === AlertOperator.LTE
        ? below
        : above || below;
  return result(breach ? { kind: 'breach', value } : { kind: 'clear' }, drawn.median, drawn);
}
