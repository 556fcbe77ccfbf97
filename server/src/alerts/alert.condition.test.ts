import { describe, expect, it } from 'vitest';

import { AlertMetric, AlertOperator } from './alert-rule.entity.js';
import { judge } from './alert.assess.js';
import { describeCondition } from './alert.condition.js';

describe(judge.name, () => {
  const rule = (operator: AlertOperator, threshold: string, minSamples = 1) => ({ operator, threshold, minSamples });

  it('compares as decimals at the stored scale, so float noise does not break EQ', () => {
    expect(judge(rule(AlertOperator.EQ, '0.3'), { value: String(0.1 + 0.2), samples: 10 })).toEqual({ kind: 'breach', value: '0.3' });
    expect(judge(rule(AlertOperator.GT, '0.3'), { value: String(0.1 + 0.2), samples: 10 })).toEqual({ kind: 'clear' });
  });

  it('compares money exactly', () => {
    expect(judge(rule(AlertOperator.GT, '50'), { value: '50.0000000001', samples: 1 })).toEqual({ kind: 'breach', value: '50.0000000001' });
    expect(judge(rule(AlertOperator.GT, '50'), { value: '50.00000000001', samples: 1 })).toEqual({ kind: 'clear' });
  });

  it('does not judge too few samples or a missing value', () => {
    expect(judge(rule(AlertOperator.GT, '0', 5), { value: '1', samples: 4 })).toMatchObject({ kind: 'not-judged' });
    expect(judge(rule(AlertOperator.GT, '0', 0), { value: null, samples: 0 })).toMatchObject({ kind: 'not-judged' });
    expect(judge(rule(AlertOperator.LT, '1', 0), { value: '0', samples: 0 })).toEqual({ kind: 'breach', value: '0' });
  });
});

describe(describeCondition.name, () => {
  it('says the condition in one line', () => {
    expect(
      describeCondition({
        metric: AlertMetric.LATENCY_P95,
        operator: AlertOperator.GTE,
        threshold: '3000.0000000000',
        windowMinutes: 5,
        appId: 'chat',
        model: 'gpt-4o',
      }),
    ).toBe('LATENCY_P95 >= 3000 over 5 min (app chat, model gpt-4o)');
    expect(describeCondition({ metric: AlertMetric.COST, operator: AlertOperator.GT, threshold: '50', windowMinutes: 1440 })).toBe(
      'COST > 50 over 1440 min',
    );
  });
});
