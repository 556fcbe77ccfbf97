import { useQuery } from '@urql/vue';
import { computed } from 'vue';

import { CostConfigsDocument, type CostConfigFieldsFragment } from '../../graphql/generated/operations';

export type CostConfig = CostConfigFieldsFragment;

/** The cost table as the server has it. */
export function useCostTable() {
  const table = useQuery({ query: CostConfigsDocument, requestPolicy: 'cache-and-network' });
  return {
    configs: computed(() => table.data.value?.costConfigs ?? []),
    loaded: computed(() => table.data.value !== undefined),
    fetching: table.fetching,
    error: computed(() => table.error.value?.message ?? null),
    refresh: () => table.executeQuery({ requestPolicy: 'network-only' }),
  };
}
