import type { FilterValues } from '../../composables/useFilters';
import type { ResolvedRange } from '../../composables/useTimeRange';
import type { LogFilter, LogStatus } from '../../graphql/generated/operations';

/** The logs explorer's filters, by their URL query names (the LogFilter field names). */
export const LOG_FILTER_KEYS = ['appId', 'model', 'provider', 'userId', 'status', 'traceId', 'sessionId', 'search'] as const;
export type LogFilterKey = (typeof LOG_FILTER_KEYS)[number];

export const LOG_STATUSES: readonly LogStatus[] = ['SUCCESS', 'ERROR'];

function isLogStatus(value: string | undefined): value is LogStatus {
  return (LOG_STATUSES as readonly (string | undefined)[]).includes(value);
}

/** The API filter for what the URL says; an unknown status is ignored rather than sent. */
export function toLogFilter(values: FilterValues<LogFilterKey>, range: ResolvedRange): LogFilter {
  const { status, search, ...dimensions } = values;
  return {
    ...dimensions,
    ...(isLogStatus(status) ? { status } : {}),
    ...(searchTerm(search) ? { search: searchTerm(search) } : {}),
    from: range.from,
    to: range.to,
  };
}

/** The text to search for, once it is long enough for the server (2 to 200 characters). */
export function searchTerm(search: string | undefined): string | undefined {
  const term = search?.trim();
  return term && term.length >= 2 ? term.slice(0, 200) : undefined;
}

/** The excerpt split around each occurrence of the term, for highlighting (case-insensitive). */
export function highlightParts(text: string, term: string): { text: string; hit: boolean }[] {
  if (!term) return [{ text, hit: false }];
  const parts: { text: string; hit: boolean }[] = [];
  const lower = text.toLowerCase();
  const needle = term.toLowerCase();
  let at = 0;
  for (let found = lower.indexOf(needle); found >= 0; found = lower.indexOf(needle, at)) {
    if (found > at) parts.push({ text: text.slice(at, found), hit: false });
    parts.push({ text: text.slice(found, found + needle.length), hit: true });
    at = found + needle.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
