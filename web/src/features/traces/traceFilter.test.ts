import { describe, expect, it } from 'vitest';

import { toTraceFilter } from './traceFilter';

const range = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' };

describe('toTraceFilter', () => {
  it('sends the filters of the URL with the resolved range', () => {
    expect(toTraceFilter({ appId: 'support', userId: 'ada', sessionId: 'conv-1', status: 'ERROR', name: 'Dify' }, range)).toEqual({
      appId: 'support',
      userId: 'ada',
      sessionId: 'conv-1',
      status: 'ERROR',
      name: 'Dify',
      ...range,
    });
  });

  it('drops a status the API does not know instead of failing the page', () => {
    expect(toTraceFilter({ status: 'SUCCESS' }, range)).toEqual(range);
  });
});
