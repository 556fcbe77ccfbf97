import { useClientHandle } from '@urql/vue';

import { useCursorPages } from '../../composables/useCursorPages';
import { LogsPageDocument, type LogFilter, type LogsPageQuery } from '../../graphql/generated/operations';

export type LogRow = LogsPageQuery['logs']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** Logs matching the page's filter, newest first, fifty at a time (see useCursorPages). */
export function useLogPages(currentFilter: () => LogFilter) {
  const { client } = useClientHandle();
  return useCursorPages<LogFilter, LogRow>(async (filter, after) => {
    const search = filter.search ?? '';
    const result = await client
      .query(LogsPageDocument, { filter, first: PAGE_SIZE, after, search, searching: search !== '' }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!result.data) return { error: result.error?.message ?? 'unknown error' };
    const page = result.data.logs;
    return { nodes: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  }, currentFilter);
}
