import { useClientHandle } from '@urql/vue';
import { ref, shallowRef } from 'vue';

import type { ResolvedRange } from '../../composables/useTimeRange';
import { DashboardDocument, type DashboardQuery, type MetricsFilter, type MetricsInterval } from '../../graphql/generated/operations';
import { intervalFor, previousRange } from './dashboardRange';

/** How many models or apps a comparison shows before summing the rest as "others". */
export const GROUPS = 8;

type Summary = NonNullable<DashboardQuery['summary']>;

/** What the dashboard shows, with the range and bucket width it was asked for. */
export interface DashboardView {
  data: DashboardQuery & { summary: Summary };
  range: ResolvedRange;
  interval: MetricsInterval;
}

/**
 * Every figure of the dashboard in one request: the summary and the one before it, the time series
 * in the viewer's timezone, and the comparisons by model and app. The answer to the latest load wins.
 * Given a summary the live feed just pushed for the same range, the request leaves the summary out
 * (`withSummary: false`), so the server does not compute it twice.
 */
export function useDashboardData(timeZone: string) {
  const { client } = useClientHandle();
  const view = shallowRef<DashboardView | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let generation = 0;

  async function load(range: ResolvedRange, filter: MetricsFilter, pushedSummary?: Summary) {
    const mine = ++generation;
    loading.value = true;
    const interval = intervalFor(range);
    const variables = {
      range,
      previous: previousRange(range),
      filter,
      interval,
      timezone: timeZone,
      groups: GROUPS,
      withSummary: !pushedSummary,
    };
    const result = await client.query(DashboardDocument, variables, { requestPolicy: 'network-only' }).toPromise();
    if (mine !== generation) return;
    loading.value = false;
    const summary = pushedSummary ?? result.data?.summary;
    error.value = result.data && summary ? null : (result.error?.message ?? 'unknown error');
    if (result.data && summary) view.value = { data: { ...result.data, summary }, range, interval };
    // A failed load (a new range, filters, a refresh) shows its error in place of figures that
    // would read as the answer; only a failed live refresh keeps the last ones.
    else if (!pushedSummary) view.value = null;
  }

  return { view, loading, error, load };
}
