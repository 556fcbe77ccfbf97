import type { FilterValues } from '../../composables/useFilters';
import type { ResolvedRange } from '../../composables/useTimeRange';
import type { SessionFilter } from '../../graphql/generated/operations';

/** The sessions list's filters, by their URL query names (the SessionFilter field names). */
export const SESSION_FILTER_KEYS = ['appId', 'userId'] as const;
export type SessionFilterKey = (typeof SESSION_FILTER_KEYS)[number];

/** The API filter for what the URL says, over the resolved range. */
export function toSessionFilter(values: FilterValues<SessionFilterKey>, range: ResolvedRange): SessionFilter {
  return { ...values, from: range.from, to: range.to };
}
