import { describe, expect, it } from 'vitest';

import { highlightParts, searchTerm, toLogFilter } from './logFilter';

const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' };

describe('toLogFilter', () => {
  it('sends the filters of the URL with the resolved range', () => {
    expect(toLogFilter({ appId: 'chat', status: 'ERROR', traceId: 't-1' }, range)).toEqual({
      appId: 'chat',
      status: 'ERROR',
      traceId: 't-1',
      ...range,
    });
  });

  it('drops a status the API does not know instead of failing the page', () => {
    expect(toLogFilter({ status: 'BROKEN' }, range)).toEqual(range);
  });
});

describe('search', () => {
  it('sends a search of 2 characters or more, trimmed, and none shorter', () => {
    expect(toLogFilter({ search: '  warehouse ' }, range)).toEqual({ search: 'warehouse', ...range });
    expect(toLogFilter({ search: 'a' }, range)).toEqual(range);
    expect(searchTerm(undefined)).toBeUndefined();
  });

  it('splits an excerpt around every occurrence of the term, in any case', () => {
    expect(highlightParts('Order 1042 left; ORDER again', 'order')).toEqual([
      { text: 'Order', hit: true },
      { text: ' 1042 left; ', hit: false },
      { text: 'ORDER', hit: true },
      { text: ' again', hit: false },
    ]);
    expect(highlightParts('订单已发货', '已发')).toEqual([
      { text: '订单', hit: false },
      { text: '已发', hit: true },
      { text: '货', hit: false },
    ]);
  });
});
