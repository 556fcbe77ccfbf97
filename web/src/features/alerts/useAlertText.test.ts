import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';

import { i18n } from '../../i18n';
import { useAlertText } from './useAlertText';

type Text = ReturnType<typeof useAlertText>;

/** Renders what `say` makes of the alert wording, in the current locale. */
function render(say: (text: Text) => string): string {
  const Probe = defineComponent({ setup: () => () => h('p', say(useAlertText())) });
  return mount(Probe, { global: { plugins: [i18n] } }).text();
}

const budget = { metric: 'COST', operator: 'GT', threshold: '500', windowMinutes: 60, kind: 'BUDGET' } as const;
const anomaly = { metric: 'REQUEST_COUNT', operator: 'NEQ', threshold: '3', windowMinutes: 60, kind: 'ANOMALY' } as const;

describe('useAlertText for budget and anomaly alerts', () => {
  it('says which condition of a budget fired, with the spend or the forecast beside it', () => {
    expect(render((text) => text.condition({ ...budget, budgetPeriod: 'MONTH' }))).toBe(
      'Cost of the month > $500.00 budget (forecast and spend)',
    );
    expect(render((text) => text.condition({ ...budget, stage: 'FORECAST' }))).toBe('Cost forecast for the period > $500.00 budget');
    expect(render((text) => text.reading({ ...budget, stage: 'FORECAST', value: '640', expected: '120.5' }))).toBe(
      'Forecast was $640.00, with $120.50 spent',
    );
    expect(render((text) => text.reading({ ...budget, stage: 'SPENT', value: '512', expected: '700' }))).toBe(
      'Spent $512.00, forecast $700.00',
    );
  });

  it('says how far an anomaly is from the usual, in English and Chinese', () => {
    expect(render((text) => text.condition(anomaly))).toBe(
      'Requests over 1 hour away from the usual for this hour of the week by more than 3 deviations',
    );
    expect(render((text) => text.reading({ ...anomaly, value: '120', expected: '40' }))).toBe('Requests was 120, usually 40');
    i18n.global.locale.value = 'zh-CN';
    try {
      expect(render((text) => text.reading({ ...anomaly, value: '120', expected: '40' }))).toBe('请求数为 120，通常为 40');
      expect(render((text) => text.condition({ ...budget, stage: 'SPENT' }))).toContain('本周期已花费 > 预算');
    } finally {
      i18n.global.locale.value = 'en';
    }
  });
});
