import { describe, expect, it } from 'vitest';

import { withRouter } from '../test/withRouter';
import { patchedQuery, patchQuery, queryValue } from './queryState';

describe('queryValue and patchedQuery', () => {
  it('read the first non-empty value and remove keys patched with null or an empty string', () => {
    expect(queryValue({ app: ['a', 'b'] }, 'app')).toBe('a');
    expect(queryValue({ app: '' }, 'app')).toBeUndefined();
    expect(patchedQuery({ app: 'a', model: 'm', log: '7' }, { app: 'b', model: null, log: '' })).toEqual({ app: 'b' });
  });
});

describe('patchQuery', () => {
  it('merges patches made in the same tick into one navigation, keeping the path and other parameters', async () => {
    const { router } = await withRouter('/logs?log=7', () => null);
    const entries: string[] = [];
    router.afterEach((to) => void entries.push(to.fullPath));
    await Promise.all([patchQuery(router, { range: '7d' }), patchQuery(router, { appId: 'chat' })]);
    expect(router.currentRoute.value.path).toBe('/logs');
    expect(router.currentRoute.value.query).toEqual({ log: '7', range: '7d', appId: 'chat' });
    expect(entries).toHaveLength(1);
  });

  it('builds a later patch on the result of a navigation still under way', async () => {
    const { router } = await withRouter('/logs?status=ERROR', () => null);
    router.beforeEach(() => new Promise<true>((resolve) => setTimeout(() => resolve(true), 20)));
    const first = patchQuery(router, { status: null });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, patchQuery(router, { model: 'gpt-4o' })]);
    expect(router.currentRoute.value.query).toEqual({ model: 'gpt-4o' });
  });
});
