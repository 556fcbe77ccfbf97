import { describe, expect, it } from 'vitest';

import { AlertMetric, AlertOperator } from './alert-rule.entity.js';
import { conditionSentence, formatValue, scopeSentence } from './alert.wording.js';

describe(conditionSentence.name, () => {
  it('writes the inbox sentence in English and in Simplified Chinese', () => {
    const rule = { metric: AlertMetric.ERROR_RATE, operator: AlertOperator.GT, threshold: '0.2', windowMinutes: 10 };
    expect(conditionSentence(rule, 'en')).toBe('Error rate > 20% over 10 minutes');
    expect(conditionSentence(rule, 'zh-CN')).toBe('10分钟内错误率 > 20%');
  });

  it('writes each unit as the inbox does', () => {
    expect(
      conditionSentence({ metric: AlertMetric.LATENCY_P95, operator: AlertOperator.GTE, threshold: '2500', windowMinutes: 120 }, 'en'),
    ).toBe('P95 latency ≥ 2.5 sec over 2 hours');
    expect(conditionSentence({ metric: AlertMetric.COST, operator: AlertOperator.GT, threshold: '50', windowMinutes: 1440 }, 'zh-CN')).toBe(
      '1天内费用 > US$50.00',
    );
    expect(formatValue(AlertMetric.TTFT_P95, '850', 'en')).toBe('850 ms');
    expect(formatValue(AlertMetric.OUTPUT_TOKENS_PER_SECOND, '42.25', 'en')).toBe('42.3 tok/s');
    expect(formatValue(AlertMetric.REQUEST_COUNT, '1204', 'en')).toBe('1,204');
  });

  it('names the scope, or says it is everything', () => {
    expect(scopeSentence({ appId: 'chat', model: 'gpt-4o' }, 'en')).toBe('App chat · Model gpt-4o');
    expect(scopeSentence({}, 'zh-CN')).toBe('全部应用、全部模型');
  });
});
