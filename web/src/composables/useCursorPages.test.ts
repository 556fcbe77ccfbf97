import { describe, expect, it } from 'vitest';

import { useCursorPages, type CursorPage } from './useCursorPages';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('useCursorPages', () => {
  it('appends the next page with the filter of the last reload and the last cursor', async () => {
    const calls: Array<[string, string | null]> = [];
    let filter = 'a';
    const pages = useCursorPages<string, number>(
      async (f, after) => {
        calls.push([f, after]);
        return after ? { nodes: [3], hasNextPage: false, endCursor: 'c2' } : { nodes: [1, 2], hasNextPage: true, endCursor: 'c1' };
      },
      () => filter,
    );
    await pages.reload();
    filter = 'b';
    await pages.loadMore();
    expect(calls).toEqual([
      ['a', null],
      ['a', 'c1'],
    ]);
    expect(pages.rows.value).toEqual([1, 2, 3]);
    expect(pages.hasNextPage.value).toBe(false);
  });

  it('drops the answer of an older reload that arrives after a newer one, and reports errors', async () => {
    const slow = deferred<CursorPage<string>>();
    let first = true;
    const pages = useCursorPages<string, string>(
      (f) => {
        if (first) {
          first = false;
          return slow.promise;
        }
        return Promise.resolve(f === 'broken' ? { error: 'refused' } : { nodes: ['new'], hasNextPage: false, endCursor: null });
      },
      () => 'x',
    );
    const older = pages.reload();
    await pages.reload();
    slow.resolve({ nodes: ['old'], hasNextPage: true, endCursor: 'c' });
    await older;
    expect(pages.rows.value).toEqual(['new']);

    const failing = useCursorPages<string, string>(
      async () => ({ error: 'refused' }),
      () => 'broken',
    );
    await failing.reload();
    expect(failing.error.value).toBe('refused');
    expect(failing.loading.value).toBe(false);
  });
});
