import { ref, shallowRef, watch } from 'vue';

import { reconnections } from '../graphql/client';

/** One page of a keyset-paged list, as the API's connections give it. */
export interface CursorPage<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Fetches the page after `after` (null: the first) for a filter; answers the page or what went wrong. */
export type FetchPage<F, T> = (filter: F, after: string | null) => Promise<CursorPage<T> | { error: string }>;

/**
 * Keyset paging through a list (logs, feedback): `reload` reads the filter and fetches the first
 * page, `loadMore` appends the page after the last cursor with that same filter, so a preset range
 * does not move under the pages already shown. An answer to an older reload is dropped; a load that
 * failed while the server was unreachable is made again when it is back.
 */
export function useCursorPages<F, T>(fetchPage: FetchPage<F, T>, currentFilter: () => F) {
  const rows = shallowRef<T[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const hasNextPage = ref(false);
  let filter: F;
  let endCursor: string | null = null;
  let generation = 0;

  async function load(reset: boolean) {
    if (reset) filter = currentFilter();
    const mine = reset ? ++generation : generation;
    loading.value = true;
    error.value = null;
    const page = await fetchPage(filter, reset ? null : endCursor);
    if (mine !== generation) return;
    loading.value = false;
    if ('error' in page) {
      error.value = page.error;
      return;
    }
    rows.value = reset ? page.nodes : [...rows.value, ...page.nodes];
    hasNextPage.value = page.hasNextPage;
    endCursor = page.endCursor;
  }

  // Back from an outage: a list that failed to load meanwhile loads again by itself.
  watch(reconnections, () => {
    if (error.value) void load(true);
  });

  return {
    rows,
    loading,
    error,
    hasNextPage,
    reload: () => load(true),
    loadMore: () => load(false),
  };
}
