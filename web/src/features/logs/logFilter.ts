import type { FilterValues } from '../../composables/useFilters';
import type { ResolvedRange } from '../../composables/useTimeRange';
import type { LogFilter, LogStatus } from '../../graphql/generated/operations';

/** The logs explorer's filters, by their URL query names (the LogFilter field names). */
export const LOG_FILTER_KEYS = ['appId', 'model', 'provider', 'userId', 'status', 'traceId', 'sessionId'] as const;
export type LogFilterKey = (typeof LOG_FILTER_KEYS)[number];

export const LOG_STATUSES: readonly LogStatus[] = ['SUCCESS', 'ERROR'];

function isLogStatus(value: string | undefined): value is LogStatus {
  return (LOG_STATUSES as readonly (string | undefined)[]).includes(value);
}

/** The API filter for what the URL says; an unknown status is ignored rather than sent. */
export function toLogFilter(values: FilterValues<LogFilterKey>, range: ResolvedRange): LogFilter {
  const { status, ...dimensions } = values;
  return { ...dimensions, ...(isLogStatus(status) ? { status } : {}), from: range.from, to: range.to };
}
