import { useClientHandle } from '@urql/vue';
import { ref, shallowRef } from 'vue';
import { LogsPageDocument, type LogFilter, type LogsPageQuery } from '../../graphql/generated/operations';

export type LogRow = LogsPageQuery['logs']['edges'][number]['node'];

const PAGE_SIZE = 50;

/**
 * Keyset paging through logs: `reload` reads the filter and fetches the first page, "load more"
 * appends the page after the last cursor with that same filter (so a preset range does not move
 * under the pages already shown).
 */
export function useLogPages(currentFilter: () => LogFilter) {
  const { client } = useClientHandle();
  const rows = shallowRef<LogRow[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const hasNextPage = ref(false);
  let filter: LogFilter = {};
  let endCursor: string | null = null;
  let generation = 0;

  async function load(reset: boolean) {
    if (reset) filter = currentFilter();
    const mine = reset ? ++generation : generation;
    loading.value = true;
    error.value = null;
    const result = await client
      .query(LogsPageDocument, { filter, first: PAGE_SIZE, after: reset ? null : endCursor }, { requestPolicy: 'network-only' })
      .toPromise();
    // A newer reload started meanwhile: its answer wins.
    if (mine !== generation) return;
    loading.value = false;
    if (!result.data) {
      error.value = result.error?.message ?? 'unknown error';
      return;
    }
    const page = result.data.logs;
    const nodes = page.edges.map((edge) => edge.node);
    rows.value = reset ? nodes : [...rows.value, ...nodes];
    hasNextPage.value = page.pageInfo.hasNextPage;
    endCursor = page.pageInfo.endCursor;
  }

  return {
    rows,
    loading,
    error,
    hasNextPage,
    reload: () => load(true),
    loadMore: () => load(false),
  };
}
