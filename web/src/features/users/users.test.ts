import { describe, expect, it } from 'vitest';

import { mergeUsers, rankUsers, userQuery } from './users';

const usage = [
  { key: 'ann', requestCount: 120, errorCount: 6, errorRate: 0.05, totalTokens: 50_000, totalCost: '1.25' },
  { key: 'bo', requestCount: 40, errorCount: 20, errorRate: 0.5, totalTokens: 90_000, totalCost: '3.5' },
  { key: null, requestCount: 500, errorCount: 0, errorRate: 0, totalTokens: 1, totalCost: '0' },
];
const feedback = [
  { key: 'bo', totalCount: 5, negativeCount: 4 },
  { key: 'cy', totalCount: 2, negativeCount: 2 },
  { key: null, totalCount: 9, negativeCount: 9 },
];

describe('users', () => {
  it('joins usage and feedback by user, leaving out calls without one', () => {
    const rows = mergeUsers(usage, feedback);
    expect(rows.map((row) => row.userId)).toEqual(['ann', 'bo', 'cy']);
    expect(rows[1]).toEqual({ userId: 'bo', calls: 40, errors: 20, errorRate: 0.5, tokens: 90_000, cost: '3.5', feedback: 5, negative: 4 });
    expect(rows[2]).toMatchObject({ userId: 'cy', calls: 0, errorRate: null, negative: 2 });
  });

  it('ranks by each figure, largest first', () => {
    const rows = mergeUsers(usage, feedback);
    const order = (by: Parameters<typeof rankUsers>[1]) => rankUsers(rows, by).map((row) => row.userId);
    expect(order('calls')).toEqual(['ann', 'bo', 'cy']);
    expect(order('tokens')).toEqual(['bo', 'ann', 'cy']);
    expect(order('cost')).toEqual(['bo', 'ann', 'cy']);
    expect(order('errorRate')).toEqual(['bo', 'ann', 'cy']);
    expect(order('negative')).toEqual(['bo', 'cy', 'ann']);
  });

  it('links to the same range on other pages', () => {
    expect(userQuery('ann', { kind: 'preset', preset: '7d' })).toEqual({ userId: 'ann', range: '7d' });
    expect(userQuery('ann', { kind: 'custom', from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' })).toEqual({
      userId: 'ann',
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
    });
  });
});
