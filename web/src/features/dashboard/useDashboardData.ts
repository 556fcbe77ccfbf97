import { useClientHandle } from '@urql/vue';
import { ref, shallowRef } from 'vue';

import type { ResolvedRange } from '../../composables/useTimeRange';
import { DashboardDocument, type DashboardQuery, type MetricsFilter, type MetricsInterval } from '../../graphql/generated/operations';
import { intervalFor, previousRange } from './dashboardRange';

/** How many models or apps a comparison shows before summing the rest as "others". */
export const GROUPS = 8;

/** What the dashboard shows, with the range and bucket width it was asked for. */
export interface DashboardView {
  data: DashboardQuery;
  range: ResolvedRange;
  interval: MetricsInterval;
}

/**
 * Every figure of the dashboard in one request: the summary and the one before it, the time series
 * in the viewer's timezone, and the comparisons by model and app. The answer to the latest load wins.
 */
export function useDashboardData(timeZone: string) {
  const { client } = useClientHandle();
  const view = shallowRef<DashboardView | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(range: ResolvedRange, filter: MetricsFilter) {
    const mine = ++generation;
    loading.value = true;
    const interval = intervalFor(range);
    const variables = { range, previous: previousRange(range), filter, interval, timezone: timeZone, groups: GROUPS };
    const result = await client.query(DashboardDocument, variables, { requestPolicy: 'network-only' }).toPromise();
    if (mine !== generation) return;
    loading.value = false;
    error.value = result.data ? null : (result.error?.message ?? 'unknown error');
    if (result.data) view.value = { data: result.data, range, interval };
  }

  return { view, loading, error, load };
}
