import { describe, expect, it } from 'vitest';

import { toLogFilter } from './logFilter';

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
