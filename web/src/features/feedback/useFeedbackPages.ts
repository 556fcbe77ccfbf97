import { useClientHandle } from '@urql/vue';

import { useCursorPages } from '../../composables/useCursorPages';
import {
  FeedbackPageDocument,
  type FeedbackFieldsFragment,
  type FeedbackFilter,
  type FeedbackPageQuery,
} from '../../graphql/generated/operations';

export type FeedbackRow = FeedbackPageQuery['feedback']['edges'][number]['node'];

const PAGE_SIZE = 50;

/** Feedback matching the page's filter, newest first, fifty at a time; a resolved or reopened item is updated in place. */
export function useFeedbackPages(currentFilter: () => FeedbackFilter) {
  const { client } = useClientHandle();
  const pages = useCursorPages<FeedbackFilter, FeedbackRow>(async (filter, after) => {
    const result = await client
      .query(FeedbackPageDocument, { filter, first: PAGE_SIZE, after }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!result.data) return { error: result.error?.message ?? 'unknown error' };
    const page = result.data.feedback;
    return { nodes: page.edges.map((edge) => edge.node), hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  }, currentFilter);

  /** Shows what the server answered for one item (its status changed); the linked log stays as it was. */
  function replace(updated: FeedbackFieldsFragment) {
    pages.rows.value = pages.rows.value.map((row) => (row.id === updated.id ? { ...row, ...updated } : row));
  }

  return { ...pages, replace };
}
