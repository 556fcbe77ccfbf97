import type { FilterValues } from '../../composables/useFilters';
import type { ResolvedRange } from '../../composables/useTimeRange';
import type { FeedbackFilter, FeedbackRating, FeedbackStatsFilter, FeedbackStatus } from '../../graphql/generated/operations';

/** The feedback page's filters, by their URL query names (the FeedbackFilter field names). */
export const FEEDBACK_FILTER_KEYS = ['appId', 'model', 'provider', 'userId', 'rating', 'status', 'category', 'linked'] as const;
export type FeedbackFilterKey = (typeof FEEDBACK_FILTER_KEYS)[number];

export const FEEDBACK_RATINGS: readonly FeedbackRating[] = ['POSITIVE', 'NEGATIVE'];
export const FEEDBACK_STATUSES: readonly FeedbackStatus[] = ['OPEN', 'RESOLVED'];
/** `?linked=true`: linked to a stored log; `false`: still waiting for it. */
export const LINKED_VALUES = ['true', 'false'] as const;

const oneOf = <T extends string>(options: readonly T[], value: string | undefined): value is T =>
  (options as readonly (string | undefined)[]).includes(value);

/** The filters both the list and the statistics take; values the API does not know are dropped, not sent. */
export function toFeedbackStatsFilter(values: FilterValues<FeedbackFilterKey>): FeedbackStatsFilter {
  const { rating, status, linked: _linked, ...text } = values;
  return { ...text, ...(oneOf(FEEDBACK_RATINGS, rating) ? { rating } : {}), ...(oneOf(FEEDBACK_STATUSES, status) ? { status } : {}) };
}

/** The list's filter for what the URL says, with the range (when Lumen received the feedback). */
export function toFeedbackFilter(values: FilterValues<FeedbackFilterKey>, range: ResolvedRange): FeedbackFilter {
  const linked = values.linked === 'true' ? true : values.linked === 'false' ? false : undefined;
  return { ...toFeedbackStatsFilter(values), ...(linked === undefined ? {} : { linked }), from: range.from, to: range.to };
}

/** The server's streamed export (GET /v1/export/feedback) for the same filter as the list. */
export function feedbackExportUrl(filter: FeedbackFilter, format: 'csv' | 'ndjson'): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(filter))
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  return `/v1/export/feedback?${params.toString()}`;
}
