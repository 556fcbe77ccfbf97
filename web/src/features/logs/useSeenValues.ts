import { ref, watch, type Ref } from 'vue';

import type { DimensionKey } from '../../composables/useFilters';
import type { LogRow } from './useLogPages';

const MAX_SUGGESTIONS = 50;

/**
 * Apps, models, providers and users seen in the logs loaded so far, offered as filter suggestions.
 * They accumulate, so narrowing to one app still suggests the others.
 */
export function useSeenValues(rows: Ref<LogRow[]>) {
  const seen: Record<DimensionKey, Set<string>> = { appId: new Set(), model: new Set(), provider: new Set(), userId: new Set() };
  const suggestions = ref<Record<DimensionKey, string[]>>({ appId: [], model: [], provider: [], userId: [] });
  watch(rows, (current) => {
    for (const row of current) {
      for (const key of Object.keys(seen) as DimensionKey[]) {
        const value = row[key];
        if (value && seen[key].size < MAX_SUGGESTIONS) seen[key].add(value);
      }
    }
    suggestions.value = Object.fromEntries(Object.entries(seen).map(([key, values]) => [key, [...values].sort()])) as Record<
      DimensionKey,
      string[]
    >;
  });
  return suggestions;
}
