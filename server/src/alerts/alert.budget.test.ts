import { describe, expect, it } from 'vitest';

import { ALERT_RECORDS, alertTestConfig, createRule } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { BudgetPeriod } from './alert-rule.entity.js';
import { budgetPeriodAt, linearForecast } from './alert.budget.js';

const DAY = 86_400_000;
const custom = (start: string, days: number) => ({ budgetPeriod: BudgetPeriod.CUSTOM, periodStart: new Date(start), periodDays: days });

describe('budget periods and the linear forecast', () => {
  it('finds the UTC month, and the repeating custom period, that holds an instant', () => {
    const month = { budgetPeriod: BudgetPeriod.MONTH, periodStart: null, periodDays: null };
    expect(budgetPeriodAt(month, new Date('2026-02-14T23:59:59Z'))).toEqual({
      start: new Date('2026-02-01T00:00:00Z'),
      end: new Date('2026-03-01T00:00:00Z'),
    });
    expect(budgetPeriodAt(custom('2026-11-03T08:00:00Z', 7), new Date('2026-11-18T07:59:59Z'))).toEqual({
      start: new Date('2026-11-17T08:00:00Z'),
      end: new Date('2026-11-24T08:00:00Z'),
    });
    expect(budgetPeriodAt(custom('2026-11-03T08:00:00Z', 7), new Date('2026-11-02T00:00:00Z'))).toBeNull();
  });

  it('continues the spend at its average rate to the end of the period, exactly as a decimal', () => {
    const november = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') };
    // 100 over 9 of 30 days: 100 × 30 / 9 = 333.33…, rounded at the 10th fraction digit.
    expect(linearForecast('100', november, new Date('2026-11-10T00:00:00Z'))).toBe('333.3333333333');
    expect(linearForecast('0.1', november, new Date('2026-11-16T00:00:00Z'))).toBe('0.2');
    // A tenth of the period, at most a day, must have gone by.
    expect(linearForecast('5', november, new Date(november.start.getTime() + DAY - 1))).toBeNull();
    expect(linearForecast('5', november, new Date(november.start.getTime() + DAY))).toBe('150');
  });
});

const PREVIEW = `mutation($input: AlertRuleInput!, $range: TimeRangeInput!) {
  previewAlertRule(input: $input, range: $range) { wouldFire firings { firedAt resolvedAt value stage } points { at value forecast breaching } }
}`;

interface Preview {
  wouldFire: boolean;
  firings: { firedAt: string; resolvedAt: string | null; value: string; stage: string | null }[];
  points: { at: string; value: string | null; forecast: string | null; breaching: boolean }[];
}

describe.each(testDatabases())('BUDGET rules on $name', (database) => {
  const sut = useTestLumen(database, { ...alertTestConfig(), alertEvalIntervalSeconds: 60 });
  const ingest = async (logs: Record<string, unknown>[]) => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(result.data!.ingestLogs.accepted).toBe(logs.length);
  };
  const budget = (overrides: Record<string, unknown>) => ({
    name: 'Monthly budget',
    kind: 'BUDGET',
    metric: 'COST',
    operator: 'GT',
    windowMinutes: 60,
    minSamples: 1,
    ...overrides,
  });

  it('forecasts a past period from its history and fires on the forecast before the spend', async () => {
    // 40 + 35 + 25 = 100 spent in the first 9 days of a 30-day period.
    await ingest([
      logInput({ appId: 'budget-history', timestamp: '2026-11-01T12:00:00Z', cost: '40' }),
      logInput({ appId: 'budget-history', timestamp: '2026-11-05T12:00:00Z', cost: '35' }),
      logInput({ appId: 'budget-history', timestamp: '2026-11-09T12:00:00Z', cost: '25' }),
      logInput({ appId: 'elsewhere', timestamp: '2026-11-09T12:00:00Z', cost: '1000' }),
    ]);
    const input = budget({
      appId: 'budget-history',
      threshold: '300',
      budgetPeriod: 'CUSTOM',
      periodStart: '2026-11-01T00:00:00Z',
      periodDays: 30,
    });
    const result = await sut.gql<{ previewAlertRule: Preview }>(PREVIEW, {
      input,
      range: { from: '2026-11-09T23:00:00Z', to: '2026-11-10T00:00:00Z' },
    });
    const preview = result.data!.previewAlertRule;
    const last = preview.points[preview.points.length - 1]!;
    expect(last).toEqual({ at: '2026-11-10T00:00:00.000Z', value: '100', forecast: '333.3333333333', breaching: true });
    // The forecast was above 300 all along; the spend never was.
    expect(preview.firings).toEqual([
      { firedAt: preview.points[0]!.at, resolvedAt: null, value: preview.points[0]!.forecast, stage: 'FORECAST' },
    ]);
    // At most 100 × 30 / 8.96 = 334.9 over this hour.
    const generous = await sut.gql<{ previewAlertRule: Preview }>(PREVIEW, {
      input: { ...input, threshold: '340' },
      range: { from: '2026-11-09T23:00:00Z', to: '2026-11-10T00:00:00Z' },
    });
    expect(generous.data!.previewAlertRule.wouldFire).toBe(false);
  });

  it('opens a FORECAST alert, then a separate SPENT alert when the spend crosses the budget', async () => {
    const now = Date.now();
    const periodStart = new Date(Math.floor(now / 60_000) * 60_000 - 2 * DAY);
    await ingest([logInput({ appId: 'budget-live', timestamp: new Date(now - 1.5 * DAY).toISOString(), cost: '30' })]);
    const rule = await createRule(
      sut,
      budget({ appId: 'budget-live', threshold: '50', budgetPeriod: 'CUSTOM', periodStart, periodDays: 4 }),
    );
    const records = async () => {
      const result = await sut.gql<{ alertRecords: { edges: { node: Record<string, unknown> }[] } }>(
        ALERT_RECORDS.replace('severity firedAt', 'severity firedAt kind stage expected'),
        { filter: { ruleId: rule.id } },
      );
      return result.data!.alertRecords.edges.map((edge) => edge.node).sort((a, b) => String(a.stage).localeCompare(String(b.stage)));
    };

    await sut.lumen.services.alerts.engine.evaluateNow();
    // 30 over two of four days: a forecast of about 60, above the budget of 50.
    const [forecast] = await records();
    expect(forecast).toMatchObject({ status: 'FIRING', kind: 'BUDGET', stage: 'FORECAST', expected: '30', threshold: '50' });
    expect(Number(forecast!.value)).toBeGreaterThan(59);
    expect(Number(forecast!.value)).toBeLessThan(61);

    await ingest([logInput({ appId: 'budget-live', timestamp: new Date(now - 60_000).toISOString(), cost: '25' })]);
    await sut.lumen.services.alerts.engine.evaluateNow();
    const both = await records();
    expect(both).toHaveLength(2);
    expect(both[0]).toMatchObject({ id: forecast!.id, stage: 'FORECAST', status: 'FIRING' });
    expect(both[1]).toMatchObject({ stage: 'SPENT', status: 'FIRING', value: '55' });
    expect(Number(both[1]!.expected)).toBeGreaterThan(100);

    // What the dashboard's cost card shows.
    const status = await sut.gql<{
      alertBudgets: { rule: { id: string }; periodStart: string; spent: string; forecast: string; budget: string }[];
    }>('{ alertBudgets { rule { id } periodStart periodEnd spent forecast budget } }');
    const mine = status.data!.alertBudgets.find((entry) => entry.rule.id === rule.id)!;
    expect(mine).toMatchObject({ periodStart: periodStart.toISOString(), spent: '55', budget: '50' });
    expect(Number(mine.forecast)).toBeGreaterThan(100);
  });

  it('refuses a budget on another metric, without a period start, or of nothing', async () => {
    const create = (input: Record<string, unknown>) =>
      sut.gql(`mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`, { input });
    const refused = [
      [budget({ metric: 'ERROR_RATE', threshold: '0.5' }), 'input.metric'],
      [budget({ threshold: '0' }), 'input.threshold'],
      [budget({ threshold: '10', operator: 'LT' }), 'input.operator'],
      [budget({ threshold: '10', budgetPeriod: 'CUSTOM', periodDays: 7 }), 'input.periodStart'],
      [budget({ threshold: '10', budgetPeriod: 'CUSTOM', periodStart: '2026-11-01T00:00:00Z', periodDays: 0 }), 'input.periodDays'],
    ] as const;
    for (const [input, field] of refused) {
      const result = await create(input);
      expect(result.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
