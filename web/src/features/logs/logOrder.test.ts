import { describe, expect, it } from 'vitest';

import { nextOrder, sortOf, toLogOrder } from './logOrder';

describe('log order', () => {
  it('reads the order from the address, newest first when unknown or absent', () => {
    expect(toLogOrder('COST_ASC')).toBe('COST_ASC');
    expect(toLogOrder('LOUDEST')).toBe('TIME_DESC');
    expect(toLogOrder(undefined)).toBe('TIME_DESC');
  });

  it('sorts a new column largest first and flips it on a second click', () => {
    expect(nextOrder('TIME_DESC', 'latency')).toBe('LATENCY_DESC');
    expect(nextOrder('LATENCY_DESC', 'latency')).toBe('LATENCY_ASC');
    expect(nextOrder('LATENCY_ASC', 'latency')).toBe('LATENCY_DESC');
    expect(nextOrder('TIME_DESC', 'time')).toBe('TIME_ASC');
    expect(sortOf('TOKENS_ASC')).toEqual({ column: 'tokens', descending: false });
  });
});
