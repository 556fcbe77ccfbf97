import { useClientHandle } from '@urql/vue';

import { useCursorPages } from '../../composables/useCursorPages';
import { TracesPageDocument, type TraceFilter, type TracesPageQuery } from '../../graphql/generated/operations';

export type TraceRow = TracesPageQuery['traces']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** Traces matching the page's filter, newest first, fifty at a time (see useCursorPages). */
export function useTracePages(currentFilter: () => TraceFilter) {
  const { client } = useClientHandle();
  return useCursorPages<TraceFilter, TraceRow>(async (filter, after) => {
    const result = await client
      .query(TracesPageDocument, { filter, first: PAGE_SIZE, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!result.data) return { error: result.error?.message ?? 'unknown error' };
    const page = result.data.traces;
    return { nodes: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  }, currentFilter);
}
