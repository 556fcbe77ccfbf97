import { describe, expect, it } from 'vitest';

import { alertCallsQuery } from './alertCalls';

describe('alertCallsQuery', () => {
  it('opens the failed calls of the rule’s scope over the window that ended when it fired', () => {
    expect(
      alertCallsQuery({
        metric: 'ERROR_RATE',
        windowMinutes: 5,
        firedAt: '2026-12-04T12:00:00.000Z',
        rule: { appId: 'support-chat', model: null },
      }),
    ).toEqual({ from: '2026-12-04T11:55:00.000Z', to: '2026-12-04T12:00:00.000Z', appId: 'support-chat', status: 'ERROR' });
  });

  it('opens every call of the window for other metrics', () => {
    expect(
      alertCallsQuery({ metric: 'COST', windowMinutes: 1440, firedAt: '2026-12-04T12:00:00.000Z', rule: { model: 'gpt-4o' } }),
    ).toEqual({
      from: '2026-12-03T12:00:00.000Z',
      to: '2026-12-04T12:00:00.000Z',
      model: 'gpt-4o',
    });
  });
});
