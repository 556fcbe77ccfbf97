import { describe, expect, it } from 'vitest';

import { exportUrl } from './logExport';

describe('exportUrl', () => {
  it('carries the page filter, the format and the content flag, and leaves empty fields out', () => {
    const url = new URL(
      exportUrl({ appId: 'chat', status: 'ERROR', model: null, search: 'refund', from: '2026-03-01T00:00:00.000Z' }, 'ndjson'),
      'http://x',
    );
    expect(url.pathname).toBe('/v1/export/logs');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'ndjson',
      content: 'true',
      appId: 'chat',
      status: 'ERROR',
      search: 'refund',
      from: '2026-03-01T00:00:00.000Z',
    });
  });
});
