import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { AlertRuleInput } from '../../graphql/generated/operations';
import { i18n } from '../../i18n';
import AlertRuleEditor from './AlertRuleEditor.vue';
import type { AlertPreview, RuleSaveOutcome } from './useAlertRuleChanges';
import type { AlertRule } from './useAlertRules';

const save = vi.fn<(id: string | null, input: AlertRuleInput) => Promise<RuleSaveOutcome>>();
const preview = vi.fn<(input: AlertRuleInput, range: { from: string; to: string }) => Promise<{ preview: AlertPreview }>>();
const testWebhook = vi.fn();
vi.mock('./useAlertRuleChanges', () => ({ useAlertRuleChanges: () => ({ save, preview, testWebhook }) }));
vi.mock('./useNotificationChannels', async () => {
  const { computed } = await import('vue');
  const channels = [
    { id: 'c1', name: 'Ops Slack', kind: 'SLACK', enabled: true },
    { id: 'c2', name: 'On-call PagerDuty', kind: 'PAGERDUTY', enabled: true },
  ];
  return {
    useNotificationChannels: () => ({ channels: computed(() => channels), loaded: computed(() => true), error: computed(() => null) }),
  };
});

const quiet: AlertPreview = {
  wouldFire: false,
  stepSeconds: 600,
  firings: [],
  points: [
    { at: '2026-11-25T10:00:00Z', value: '0.01', samples: 40, breaching: false, forecast: null, expected: null, lower: null, upper: null },
  ],
};
const stored: AlertRule = {
  id: 'r1',
  name: 'Checkout latency',
  kind: 'THRESHOLD',
  budgetPeriod: null,
  periodStart: null,
  periodDays: null,
  metric: 'LATENCY_P95',
  operator: 'GT',
  threshold: '3000',
  windowMinutes: 10,
  appId: 'checkout',
  model: null,
  minSamples: 20,
  severity: 'CRITICAL',
  cooldownMinutes: 30,
  webhookUrl: 'https://hooks.example.com/x',
  emails: ['ops@example.com'],
  language: 'en',
  channels: [{ id: 'c1', name: 'Ops Slack', kind: 'SLACK', enabled: true }],
  enabled: true,
  createdAt: '2026-11-25T00:00:00Z',
  updatedAt: '2026-11-25T00:00:00Z',
};

function open(rule: AlertRule | null = null) {
  return mount(AlertRuleEditor, {
    props: { open: true, rule },
    global: { plugins: [i18n], stubs: { LumenChart: true } },
    attachTo: document.body,
  });
}
const field = (name: string) => document.querySelector(`[data-test=${name}]`) as HTMLInputElement;
const errorOf = (name: string) => field(name).closest('.field')?.querySelector('.field__error')?.textContent ?? null;
async function type(name: string, value: string) {
  field(name).value = value;
  field(name).dispatchEvent(new Event(field(name).tagName === 'SELECT' ? 'change' : 'input'));
  await flushPromises();
}
async function submit() {
  (document.querySelector('[data-test=save-rule]') as HTMLButtonElement).click();
  await flushPromises();
}

beforeEach(() => {
  vi.useFakeTimers();
  preview.mockResolvedValue({ preview: quiet });
});
afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
  save.mockReset();
  preview.mockReset();
});

describe('AlertRuleEditor', () => {
  it('asks a budget rule for its period and budget, and checks them before saving', async () => {
    save.mockResolvedValue({ saved: stored });
    const wrapper = open();
    await flushPromises();
    await type('rule-name-input', 'Monthly spend');
    await type('rule-kind', 'BUDGET');
    // A budget watches cost and fires above it.
    const metrics = [...(field('rule-metric') as unknown as HTMLSelectElement).options].map((option) => option.value);
    expect(metrics).toEqual(['COST']);
    expect([...(field('rule-operator') as unknown as HTMLSelectElement).options].map((option) => option.value)).toEqual(['GT', 'GTE']);
    expect(field('rule-threshold').closest('.field')?.textContent).toContain('Budget');
    expect(document.querySelector('[data-test=rule-window]')).toBeNull();
    await type('rule-budget-period', 'CUSTOM');
    await type('rule-threshold', '0');
    await type('rule-period-days', '400');
    await submit();
    expect(save).not.toHaveBeenCalled();
    expect(errorOf('rule-threshold')).toBe('The budget must be more than 0.');
    expect(errorOf('rule-period-start')).toBe('A date such as 2026-11-01.');
    expect(errorOf('rule-period-days')).toBe('A whole number from 1 to 366.');
    await type('rule-threshold', '500');
    await type('rule-period-start', '2026-11-01');
    await type('rule-period-days', '14');
    await submit();
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0]![1]).toMatchObject({
      kind: 'BUDGET',
      metric: 'COST',
      operator: 'GT',
      threshold: '500',
      budgetPeriod: 'CUSTOM',
      periodStart: '2026-11-01T00:00:00.000Z',
      periodDays: 14,
    });
    wrapper.unmount();
  });

  it('asks an anomaly rule for k and a direction, in the words of the baseline, in Chinese too', async () => {
    const wrapper = open();
    await flushPromises();
    await type('rule-kind', 'ANOMALY');
    const operators = [...(field('rule-operator') as unknown as HTMLSelectElement).options].map((option) => option.value);
    expect(operators).not.toContain('EQ');
    expect(field('rule-threshold').closest('.field')?.textContent).toContain('Deviations (k)');
    await type('rule-threshold', '101');
    await type('rule-window', '20000');
    await submit();
    expect(errorOf('rule-threshold')).toBe('More than 0 and at most 100.');
    expect(errorOf('rule-window')).toBe('A whole number from 1 to 10080.');
    i18n.global.locale.value = 'zh-CN';
    await flushPromises();
    expect(field('rule-threshold').closest('.field')?.textContent).toContain('偏差倍数 (k)');
    expect(errorOf('rule-threshold')).toBe('必须大于 0，且不超过 100。');
    i18n.global.locale.value = 'en';
    wrapper.unmount();
  });

  it('shows what is wrong on each field and sends nothing until the rule is valid', async () => {
    const wrapper = open();
    await flushPromises();
    await type('rule-threshold', '120');
    await type('rule-window', '0');
    await type('rule-emails', 'ops@example.com oncall');
    await submit();
    expect(save).not.toHaveBeenCalled();
    expect(errorOf('rule-name-input')).toBe('Required.');
    expect(errorOf('rule-threshold')).toBe('A rate is at most 100 %.');
    expect(errorOf('rule-window')).toBe('A whole number from 1 to 44640.');
    expect(errorOf('rule-emails')).toBe('“oncall” is not an email address.');
    wrapper.unmount();
  });

  it('previews the condition as it is typed, with the rate as a fraction, and says when it would have fired', async () => {
    const wrapper = open();
    await flushPromises();
    await type('rule-threshold', '25');
    await type('rule-app', 'support-chat');
    expect(preview).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(600);
    expect(preview).toHaveBeenCalledTimes(1);
    const [input, range] = preview.mock.calls[0]!;
    expect(input).toMatchObject({
      metric: 'ERROR_RATE',
      operator: 'GT',
      threshold: '0.25',
      windowMinutes: 5,
      appId: 'support-chat',
      webhookUrl: null,
      emails: [],
    });
    expect(Date.parse(range.to) - Date.parse(range.from)).toBe(86_400_000);
    expect(document.querySelector('[data-test=chart-preview]')?.textContent).toContain('Would not have fired in the last 24 hours.');

    preview.mockResolvedValue({
      preview: {
        ...quiet,
        wouldFire: true,
        firings: [{ firedAt: '2026-11-25T09:00:00Z', resolvedAt: '2026-11-25T09:20:00Z', value: '0.4', stage: null }],
      },
    });
    (document.querySelector('[data-test=preview-7d]') as HTMLButtonElement).click();
    await vi.advanceTimersByTimeAsync(600);
    expect(Date.parse(preview.mock.calls[1]![1].to) - Date.parse(preview.mock.calls[1]![1].from)).toBe(7 * 86_400_000);
    expect(document.querySelector('[data-test=chart-preview]')?.textContent).toContain('Would have fired once in the last 7 days.');
    expect(document.querySelector('[data-test=preview-firings]')?.textContent).toContain('40%');
    expect(document.querySelector('[data-test=preview-firings]')?.textContent).toContain('20 min');
    wrapper.unmount();
  });

  it('edits a stored rule and shows the server’s refusal on the field it names', async () => {
    save.mockResolvedValue({ errors: { fields: { webhookUrl: 'must not point at a private address' }, general: null } });
    const wrapper = open(stored);
    await flushPromises();
    expect(field('rule-threshold').value).toBe('3000');
    expect(field('rule-metric').value).toBe('LATENCY_P95');
    await type('rule-threshold', '2500');
    const c2 = document.querySelector('[data-test=rule-channel-c2]') as HTMLInputElement;
    c2.checked = true;
    c2.dispatchEvent(new Event('change'));
    await flushPromises();
    await type('rule-language', 'zh-CN');
    await submit();
    expect(save).toHaveBeenCalledWith(
      'r1',
      expect.objectContaining({
        channelIds: ['c1', 'c2'],
        language: 'zh-CN',
        name: 'Checkout latency',
        threshold: '2500',
        appId: 'checkout',
        emails: ['ops@example.com'],
        severity: 'CRITICAL',
      }),
    );
    expect(errorOf('rule-webhook')).toBe('must not point at a private address');
    expect(wrapper.emitted('saved')).toBeUndefined();
    wrapper.unmount();
  });
});
