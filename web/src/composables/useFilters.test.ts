import { describe, expect, it } from 'vitest';

import { withRouter } from '../test/withRouter';
import { cleanFilters, useFilters } from './useFilters';

describe('cleanFilters', () => {
  it('keeps only the keys with a value, trimmed', () => {
    expect(cleanFilters({ appId: ' chat ', model: '', provider: null, userId: undefined })).toEqual({ appId: 'chat' });
  });
});

describe('useFilters', () => {
  it('reads its filters from the URL and writes them back trimmed, removing empty ones', async () => {
    const { result, router } = await withRouter('/logs?appId=chat&status=ERROR&range=7d', () =>
      useFilters(['appId', 'model', 'status'] as const),
    );
    expect(result.values.value).toEqual({ appId: 'chat', status: 'ERROR' });
    expect(result.activeCount.value).toBe(2);
    await result.set({ model: '  gpt-4o ', status: '' });
    expect(router.currentRoute.value.query).toEqual({ appId: 'chat', model: 'gpt-4o', range: '7d' });
    expect(result.values.value).toEqual({ appId: 'chat', model: 'gpt-4o' });
  });

  it('clears its own filters and leaves the rest of the URL (range, open log) alone', async () => {
    const { result, router } = await withRouter('/logs?appId=chat&model=m&range=7d&log=9', () => useFilters(['appId', 'model'] as const));
    await result.clear();
    expect(router.currentRoute.value.query).toEqual({ range: '7d', log: '9' });
    expect(result.activeCount.value).toBe(0);
  });
});
