import { computed } from 'vue';
import { useRoute, useRouter } from 'vue-router';

import { patchQuery, queryValue } from './queryState';

/** The dimensions every page filters by (the API's MetricsFilter); pages may add their own keys. */
export const DIMENSION_KEYS = ['appId', 'model', 'provider', 'userId'] as const;
export type DimensionKey = (typeof DIMENSION_KEYS)[number];
export type DimensionFilter = Partial<Record<DimensionKey, string>>;

export type FilterValues<K extends string> = Partial<Record<K, string>>;

/** Only the keys with a value, trimmed: what the URL and the API should see. */
export function cleanFilters<K extends string>(values: Partial<Record<K, string | null | undefined>>): FilterValues<K> {
  const clean: FilterValues<K> = {};
  for (const [key, value] of Object.entries(values) as Array<[K, string | null | undefined]>) {
    const trimmed = value?.trim();
    if (trimmed) clean[key] = trimmed;
  }
  return clean;
}

/**
 * Filter values kept in the URL query under their own names (`?appId=chat&status=ERROR`), so a
 * filtered view can be shared and survives a reload. Setting '' or null removes a filter.
 */
export function useFilters<K extends string>(keys: readonly K[]) {
  const route = useRoute();
  const router = useRouter();
  const values = computed(() =>
    cleanFilters(Object.fromEntries(keys.map((key) => [key, queryValue(route.query, key)])) as FilterValues<K>),
  );
  const activeCount = computed(() => Object.keys(values.value).length);
  return {
    values,
    activeCount,
    set(patch: Partial<Record<K, string | null>>) {
      const trimmed = Object.fromEntries(Object.entries(patch).map(([key, value]) => [key, (value as string | null)?.trim() || null]));
      return patchQuery(router, trimmed);
    },
    clear: () => patchQuery(router, Object.fromEntries(keys.map((key) => [key, null]))),
  };
}
