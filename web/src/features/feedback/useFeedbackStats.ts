import { useClientHandle } from '@urql/vue';
import { ref, shallowRef } from 'vue';

import type { ResolvedRange } from '../../composables/useTimeRange';
import { FeedbackStatsDocument, type FeedbackStatsFilter, type FeedbackStatsQuery } from '../../graphql/generated/operations';

export type FeedbackStats = FeedbackStatsQuery['feedbackStats'];

/** The statistics of the feedback in a range; the answer to the latest `load` wins. */
export function useFeedbackStats() {
  const { client } = useClientHandle();
  const stats = shallowRef<FeedbackStats | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(range: ResolvedRange, filter: FeedbackStatsFilter) {
    const mine = ++generation;
    loading.value = true;
    const result = await client.query(FeedbackStatsDocument, { range, filter }, { requestPolicy: 'network-only' }).toPromise();
    if (mine !== generation) return;
    loading.value = false;
    error.value = result.data ? null : (result.error?.message ?? 'unknown error');
    if (result.data) stats.value = result.data.feedbackStats;
  }

  return { stats, loading, error, load };
}
