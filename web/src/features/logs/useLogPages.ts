import { useClientHandle } from '@urql/vue';

import { useCursorPages } from '../../composables/useCursorPages';
import { LogsPageDocument, type LogFilter, type LogOrder, type LogsPageQuery } from '../../graphql/generated/operations';

export type LogRow = LogsPageQuery['logs']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** What a list of logs shows: the page's filter and its order. */
export interface LogView {
  filter: LogFilter;
  orderBy: LogOrder;
}

/** Logs matching the page's filter in its order (newest first by default), fifty at a time (see useCursorPages). */
export function useLogPages(currentView: () => LogView) {
  const { client } = useClientHandle();
  return useCursorPages<LogView, LogRow>(async ({ filter, orderBy }, after) => {
    const search = filter.search ?? '';
    const result = await client
      .query(
        LogsPageDocument,
        { filter, orderBy, first: PAGE_SIZE, after, search, searching: search !== '' },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    if (!result.data) return { error: result.error?.message ?? 'unknown error' };
    const page = result.data.logs;
    return { nodes: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  }, currentView);
}
