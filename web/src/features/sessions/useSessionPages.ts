import { useClientHandle } from '@urql/vue';

import { useCursorPages } from '../../composables/useCursorPages';
import { SessionsPageDocument, type SessionFilter, type SessionsPageQuery } from '../../graphql/generated/operations';

export type SessionRow = SessionsPageQuery['sessions']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** Sessions matching the page's filter, the most recently active first (see useCursorPages). */
export function useSessionPages(currentFilter: () => SessionFilter) {
  const { client } = useClientHandle();
  return useCursorPages<SessionFilter, SessionRow>(async (filter, after) => {
    const result = await client
      .query(SessionsPageDocument, { filter, first: PAGE_SIZE, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!result.data) return { error: result.error?.message ?? 'unknown error' };
    const page = result.data.sessions;
    return { nodes: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  }, currentFilter);
}
