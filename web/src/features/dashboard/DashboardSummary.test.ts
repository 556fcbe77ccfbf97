import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';

import type { SummaryFieldsFragment } from '../../graphql/generated/operations';
import { i18n } from '../../i18n';
import DashboardSummary from './DashboardSummary.vue';

const summary = (overrides: Partial<SummaryFieldsFragment> = {}): SummaryFieldsFragment => ({
  requestCount: 2400,
  successCount: 2376,
  errorCount: 24,
  successRate: 0.99,
  errorRate: 0.01,
  latencyP50: 1900,
  latencyP95: 24_470,
  latencyP99: 48_800,
  inputTokens: 9_400_000,
  outputTokens: 809_100,
  totalTokens: 10_209_100,
  totalCost: '15.1234567',
  ttftCount: 1200,
  ttftP50: 310,
  ttftP95: 1450,
  outputTokensPerSecond: 61.84,
  ...overrides,
});
const card = (wrapper: ReturnType<typeof mount>, name: string) => wrapper.get(`[data-test=summary-${name}]`);

describe('DashboardSummary', () => {
  it('shows each headline figure for the locale, and the exact cost on hover', () => {
    const wrapper = mount(DashboardSummary, { props: { summary: summary(), previous: null }, global: { plugins: [i18n] } });
    expect(card(wrapper, 'requests').text()).toContain('2,400');
    expect(card(wrapper, 'requests').text()).toContain('24 errors');
    expect(card(wrapper, 'success').text()).toContain('99%');
    expect(card(wrapper, 'p95').text()).toContain('24.47 sec');
    expect(card(wrapper, 'tokens').text()).toContain('10.2M');
    expect(card(wrapper, 'cost').text()).toContain('$15.12');
    expect(card(wrapper, 'cost').attributes('title')).toBe('$15.123457');
    expect(wrapper.findAll('[data-test=change]')).toHaveLength(0);
  });

  it('shows time to first token and output speed, and says so when nothing streamed', () => {
    const wrapper = mount(DashboardSummary, { props: { summary: summary(), previous: null }, global: { plugins: [i18n] } });
    expect(card(wrapper, 'ttft').text()).toContain('1.45 sec');
    expect(card(wrapper, 'ttft').text()).toContain('P50 310 ms · 1,200 streamed');
    expect(card(wrapper, 'throughput').text()).toContain('61.8 tok/s');
    const slower = summary({ outputTokensPerSecond: 40 });
    const compared = mount(DashboardSummary, { props: { summary: slower, previous: summary() }, global: { plugins: [i18n] } });
    expect(card(compared, 'throughput').get('[data-test=change]').classes()).toContain('change--bad');
    const none = mount(DashboardSummary, {
      props: { summary: summary({ ttftCount: 0, ttftP50: null, ttftP95: null, outputTokensPerSecond: null }), previous: null },
      global: { plugins: [i18n] },
    });
    expect(card(none, 'ttft').text()).toContain('No streamed calls');
    expect(card(none, 'throughput').text()).toContain('—');
  });

  it('compares with the previous period, red where it got worse, and not at all with a period that barely had traffic', () => {
    const previous = summary({ requestCount: 2000, successRate: 0.995, latencyP95: 20_000, totalCost: '10' });
    const wrapper = mount(DashboardSummary, { props: { summary: summary(), previous }, global: { plugins: [i18n] } });
    expect(card(wrapper, 'requests').get('[data-test=change]').text()).toBe('▲ 20%');
    expect(card(wrapper, 'success').get('[data-test=change]').classes()).toContain('change--neutral');
    expect(card(wrapper, 'p95').get('[data-test=change]').classes()).toContain('change--bad');
    expect(card(wrapper, 'cost').get('[data-test=change]').text()).toBe('▲ 51%');
    expect(card(wrapper, 'p50').get('[data-test=change]').text()).toBe('0%');

    const quiet = mount(DashboardSummary, {
      props: { summary: summary(), previous: summary({ requestCount: 3 }) },
      global: { plugins: [i18n] },
    });
    expect(quiet.findAll('[data-test=change]')).toHaveLength(0);
  });

  it('shows the budget, the spend of its period and the forecast on the cost card, amber when the forecast is over it', () => {
    const budget = {
      rule: { id: 'b1', name: 'Monthly budget', appId: null, model: null },
      periodStart: '2026-12-01T00:00:00Z',
      periodEnd: '2027-01-01T00:00:00Z',
      spent: '120.5',
      forecast: '640',
      budget: '500',
    };
    const wrapper = mount(DashboardSummary, { props: { summary: summary(), previous: null, budget }, global: { plugins: [i18n] } });
    expect(card(wrapper, 'cost').text()).toContain('$120.50 of the $500.00 budget this period · forecast $640.00');
    expect(card(wrapper, 'cost').html()).toContain('warning');
    const early = mount(DashboardSummary, {
      props: { summary: summary(), previous: null, budget: { ...budget, forecast: null } },
      global: { plugins: [i18n] },
    });
    expect(card(early, 'cost').text()).toContain('$120.50 of the $500.00 budget this period');
    expect(card(early, 'cost').text()).not.toContain('forecast');
  });
});
