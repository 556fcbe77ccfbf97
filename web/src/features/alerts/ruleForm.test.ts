import { describe, expect, it } from 'vitest';

import { canPreview, emptyRuleForm, formField, formFromRule, toRuleInput, validateRuleForm, type RuleForm } from './ruleForm';

const valid = (patch: Partial<RuleForm> = {}): RuleForm => ({ ...emptyRuleForm(), name: 'Chat errors', threshold: '20', ...patch });
const keys = (form: RuleForm) => Object.fromEntries(Object.entries(validateRuleForm(form)).map(([field, problem]) => [field, problem.key]));

describe('rule form', () => {
  it('accepts a complete rule and sends rates as fractions, numbers as numbers, blanks as null', () => {
    expect(validateRuleForm(valid())).toEqual({});
    expect(
      toRuleInput(valid({ appId: ' chat ', emails: 'ops@example.com,\n oncall@example.com', webhookUrl: ' https://hooks.example.com/a ' })),
    ).toEqual({
      name: 'Chat errors',
      kind: 'THRESHOLD',
      metric: 'ERROR_RATE',
      operator: 'GT',
      threshold: '0.2',
      windowMinutes: 5,
      appId: 'chat',
      model: null,
      minSamples: 10,
      severity: 'WARNING',
      cooldownMinutes: 60,
      webhookUrl: 'https://hooks.example.com/a',
      emails: ['ops@example.com', 'oncall@example.com'],
      channelIds: [],
      language: 'en',
      enabled: true,
    });
    expect(toRuleInput(valid({ metric: 'LATENCY_P95', threshold: '3000' })).threshold).toBe('3000');
  });

  it('finds what the server would refuse, field by field', () => {
    expect(keys(valid({ name: ' ', threshold: '' }))).toEqual({ name: 'required', threshold: 'required' });
    expect(keys(valid({ threshold: '-1' }))).toEqual({ threshold: 'negative' });
    expect(keys(valid({ threshold: '120' }))).toEqual({ threshold: 'percentMax' });
    expect(keys(valid({ metric: 'COST', threshold: '120' }))).toEqual({});
    expect(keys(valid({ threshold: 'twenty' }))).toEqual({ threshold: 'decimal' });
    expect(keys(valid({ threshold: '0.123456789' }))).toEqual({ threshold: 'decimal' });
    expect(keys(valid({ metric: 'COST', threshold: '0.123456789' }))).toEqual({});
    expect(keys(valid({ windowMinutes: '0', minSamples: '1.5', cooldownMinutes: '10081' }))).toEqual({
      windowMinutes: 'wholeNumber',
      minSamples: 'wholeNumber',
      cooldownMinutes: 'wholeNumber',
    });
    expect(keys(valid({ windowMinutes: '44640', minSamples: '0', cooldownMinutes: '0' }))).toEqual({});
    expect(keys(valid({ webhookUrl: 'ftp://example.com' }))).toEqual({ webhookUrl: 'url' });
    expect(keys(valid({ webhookUrl: 'not a url' }))).toEqual({ webhookUrl: 'url' });
    expect(validateRuleForm(valid({ emails: 'ops@example.com, oncall' })).emails).toEqual({ key: 'email', params: { address: 'oncall' } });
    expect(keys(valid({ emails: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`).join(' ') }))).toEqual({
      emails: 'tooManyEmails',
    });
    expect(keys(valid({ appId: 'a'.repeat(257) }))).toEqual({ appId: 'tooLong' });
  });

  it('previews a rule without a name or channels, but not with a broken condition', () => {
    expect(canPreview(validateRuleForm(valid({ name: '', webhookUrl: 'nope' })))).toBe(true);
    expect(canPreview(validateRuleForm(valid({ threshold: '' })))).toBe(false);
  });

  it('edits a stored rule in the units the editor uses', () => {
    const form = formFromRule({
      id: '1',
      name: 'Negative feedback',
      kind: 'THRESHOLD',
      budgetPeriod: null,
      periodStart: null,
      periodDays: null,
      metric: 'NEGATIVE_FEEDBACK_RATE',
      operator: 'GTE',
      threshold: '0.3',
      windowMinutes: 60,
      appId: null,
      model: 'gpt-4o',
      minSamples: 5,
      severity: 'CRITICAL',
      cooldownMinutes: 0,
      webhookUrl: null,
      emails: ['a@example.com', 'b@example.com'],
      language: 'zh-CN',
      channels: [{ id: 'c1', name: 'Ops Slack', kind: 'SLACK', enabled: true }],
      enabled: false,
      createdAt: '2026-11-25T00:00:00Z',
      updatedAt: '2026-11-25T00:00:00Z',
    });
    expect(form).toMatchObject({
      threshold: '30',
      windowMinutes: '60',
      appId: '',
      model: 'gpt-4o',
      emails: 'a@example.com, b@example.com',
      channelIds: ['c1'],
      language: 'zh-CN',
      enabled: false,
    });
    expect(toRuleInput(form)).toMatchObject({ threshold: '0.3', channelIds: ['c1'], language: 'zh-CN' });
  });

  it('puts the server’s word on an address in the list on the addresses field', () => {
    expect(formField('input.emails.3')).toBe('emails');
    expect(formField('input.threshold')).toBe('threshold');
  });

  it('checks budget and anomaly rules as the server does, and sends their own fields', () => {
    const budget = valid({ kind: 'BUDGET', metric: 'COST', operator: 'GT', threshold: '500' });
    expect(validateRuleForm(budget)).toEqual({});
    expect(toRuleInput(budget)).toMatchObject({
      kind: 'BUDGET',
      threshold: '500',
      budgetPeriod: 'MONTH',
      periodStart: null,
      periodDays: null,
    });
    expect(keys({ ...budget, metric: 'ERROR_RATE', operator: 'LT', threshold: '0' })).toEqual({
      metric: 'budgetMetric',
      operator: 'budgetOperator',
      threshold: 'budgetPositive',
    });
    const custom = { ...budget, budgetPeriod: 'CUSTOM' as const, periodStart: '2026-11-01', periodDays: '14' };
    expect(toRuleInput(custom)).toMatchObject({ budgetPeriod: 'CUSTOM', periodStart: '2026-11-01T00:00:00.000Z', periodDays: 14 });
    expect(keys({ ...custom, periodStart: 'soon', periodDays: '400' })).toEqual({ periodStart: 'date', periodDays: 'wholeNumber' });

    const anomaly = valid({ kind: 'ANOMALY', metric: 'REQUEST_COUNT', operator: 'NEQ', threshold: '3', windowMinutes: '60' });
    expect(validateRuleForm(anomaly)).toEqual({});
    // k is sent as typed, even for a rate metric: it counts deviations, not percent.
    expect(toRuleInput({ ...anomaly, metric: 'ERROR_RATE' }).threshold).toBe('3');
    expect(keys({ ...anomaly, operator: 'EQ', threshold: '101', windowMinutes: '20000' })).toEqual({
      operator: 'anomalyOperator',
      threshold: 'deviations',
      windowMinutes: 'wholeNumber',
    });
    expect(canPreview(validateRuleForm({ ...anomaly, operator: 'EQ' }))).toBe(false);
  });
});
