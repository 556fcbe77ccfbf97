import { useClientHandle } from '@urql/vue';
import { ref, shallowRef, type Ref } from 'vue';
import { LogsPageDocument, type LogFilter, type LogsPageQuery } from '../../graphql/generated/operations';

export type LogRow = LogsPageQuery['logs']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** Keyset paging through logs: the first page, then "load more" appends the next one after the last cursor. */
export function useLogPages(filter: Ref<LogFilter>) {
  const { client } = useClientHandle();
  const rows = shallowRef<LogRow[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const hasNextPage = ref(false);
  let endCursor: string | null = null;
  let generation = 0;

  async function load(reset: boolean) {
    const mine = reset ? ++generation : generation;
    loading.value = true;
    error.value = null;
    const result = await client
      .query(LogsPageDocument, { filter: filter.value, first: PAGE_SIZE, after: reset ? null : endCursor }, { requestPolicy: 'network-only' })
      .toPromise();
    // A newer reload started meanwhile: its answer wins.
    if (mine !== generation) return;
    loading.value = false;
    if (!result.data) {
      error.value = result.error?.message ?? 'unknown error';
      return;
    }
    const page = result.data.logs;
    rows.value = reset ? page.edges.map((edge) => edge.node) : [...rows.value, ...page.edges.map((edge) => edge.node)];
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
