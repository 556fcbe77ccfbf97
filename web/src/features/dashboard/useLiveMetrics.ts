import { useSubscription } from '@urql/vue';
import { ref, shallowRef } from 'vue';

import { LiveMetricsDocument, type LiveMetricsSubscription, type MetricsFilter } from '../../graphql/generated/operations';

export type LiveSnapshot = LiveMetricsSubscription['liveMetrics'];

/**
 * The liveMetrics feed over the app's websocket while `active()` holds: the summary of the last
 * `windowSeconds()`, pushed when it changes. `onSnapshot` runs for each push.
 */
export function useLiveMetrics(options: {
  active: () => boolean;
  filter: () => MetricsFilter;
  windowSeconds: () => number;
  onSnapshot: (snapshot: LiveSnapshot) => void;
}) {
  const snapshot = shallowRef<LiveSnapshot | null>(null);
  const receivedAt = ref<number | null>(null);
  const subscription = useSubscription(
    {
      query: LiveMetricsDocument,
      variables: () => ({ filter: options.filter(), windowSeconds: options.windowSeconds() }),
      pause: () => !options.active(),
    },
    (_previous: LiveMetricsSubscription | undefined, data: LiveMetricsSubscription) => {
      snapshot.value = data.liveMetrics;
      receivedAt.value = Date.now();
      options.onSnapshot(data.liveMetrics);
      return data;
    },
  );
  return { snapshot, receivedAt, error: subscription.error };
}
