import { Decimal } from 'decimal.js';

import { BudgetPeriod } from './alert-rule.entity.js';
import { VALUE_SCALE } from './alert.condition.js';

const DAY = 86_400_000;

export interface BudgetPeriodRule {
  budgetPeriod: BudgetPeriod | null;
  periodStart: Date | null;
  periodDays: number | null;
}

export interface Period {
  start: Date;
  end: Date;
}

/**
 * The budget period holding `at`: the UTC calendar month, or the CUSTOM period of `periodDays` days
 * counted from `periodStart` (periods repeat back to back). null before a CUSTOM budget's first period.
 */
export function budgetPeriodAt(rule: BudgetPeriodRule, at: Date): Period | null {
  if (rule.budgetPeriod === BudgetPeriod.CUSTOM) {
    const first = rule.periodStart!.getTime();
    const length = rule.periodDays! * DAY;
    if (at.getTime() < first) return null;
    const start = first + Math.floor((at.getTime() - first) / length) * length;
    return { start: new Date(start), end: new Date(start + length) };
  }
  return {
    start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
    end: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)),
  };
}

/**
 * The linear forecast of the period's spend: what was spent so far, continued at the same average rate
 * to the period's end, spent × length / elapsed, exact as a decimal (rounded to the stored scale).
 * Linear rather than a same-weekday profile: it needs no history before the period, and a month has
 * too few of each weekday for a profile to be steadier. It is null until a tenth of the period (at
 * most a day) has gone by: a first hour's spend times 720 says nothing about the month.
 */
export function linearForecast(spent: string, period: Period, at: Date): string | null {
  const elapsed = at.getTime() - period.start.getTime();
  const length = period.end.getTime() - period.start.getTime();
  if (elapsed < Math.min(DAY, length / 10) || elapsed <= 0) return null;
  return new Decimal(spent).mul(length).div(elapsed).toDecimalPlaces(VALUE_SCALE, Decimal.ROUND_HALF_UP).toFixed();
}
