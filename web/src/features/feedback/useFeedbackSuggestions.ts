import { ref, watch, type Ref } from 'vue';

import type { DimensionKey } from '../../composables/useFilters';
import { SUGGESTED_CATEGORIES } from './feedbackForm';
import type { FeedbackRow } from './useFeedbackPages';
import type { FeedbackStats } from './useFeedbackStats';

type Key = DimensionKey | 'category';
const MAX_SUGGESTIONS = 50;

/**
 * Apps, models, providers, users and categories seen so far (in the statistics and the list),
 * offered as filter suggestions. They accumulate, so narrowing to one app still suggests the others.
 */
export function useFeedbackSuggestions(stats: Ref<FeedbackStats | null>, rows: Ref<FeedbackRow[]>) {
  const seen: Record<Key, Set<string>> = {
    appId: new Set(),
    model: new Set(),
    provider: new Set(),
    userId: new Set(),
    category: new Set(SUGGESTED_CATEGORIES),
  };
  const suggestions = ref<Record<Key, string[]>>({ appId: [], model: [], provider: [], userId: [], category: [...SUGGESTED_CATEGORIES] });
  const add = (key: Key, value: string | null | undefined) => {
    if (value && seen[key].size < MAX_SUGGESTIONS) seen[key].add(value);
  };
  watch([stats, rows], ([currentStats, currentRows]) => {
    for (const group of currentStats?.byApp ?? []) add('appId', group.key);
    for (const group of currentStats?.byModel ?? []) add('model', group.key);
    for (const group of currentStats?.byCategory ?? []) add('category', group.key);
    for (const row of currentRows) {
      add('userId', row.userId);
      add('provider', row.log?.provider);
    }
    suggestions.value = Object.fromEntries(Object.entries(seen).map(([key, values]) => [key, [...values].sort()])) as Record<Key, string[]>;
  });
  return suggestions;
}
