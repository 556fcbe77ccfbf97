import type { FilterValues } from '../../composables/useFilters';
import type { ResolvedRange } from '../../composables/useTimeRange';
import type { SpanKind, SpanStatus, TraceFilter } from '../../graphql/generated/operations';

/** The traces list's filters, by their URL query names (the TraceFilter field names). */
export const TRACE_FILTER_KEYS = ['appId', 'userId', 'sessionId', 'status', 'name'] as const;
export type TraceFilterKey = (typeof TRACE_FILTER_KEYS)[number];

export const TRACE_STATUSES: readonly SpanStatus[] = ['OK', 'ERROR'];

/** Every kind of span, in the legend's order. */
export const SPAN_KINDS: readonly SpanKind[] = [
  'LLM',
  'EMBEDDING',
  'CHAIN',
  'AGENT',
  'TOOL',
  'RETRIEVER',
  'RERANKER',
  'GUARDRAIL',
  'EVALUATOR',
  'OTHER',
];

function isTraceStatus(value: string | undefined): value is SpanStatus {
  return (TRACE_STATUSES as readonly (string | undefined)[]).includes(value);
}

/** The API filter for what the URL says; an unknown status is ignored rather than sent. */
export function toTraceFilter(values: FilterValues<TraceFilterKey>, range: ResolvedRange): TraceFilter {
  const { status, ...rest } = values;
  return { ...rest, ...(isTraceStatus(status) ? { status } : {}), from: range.from, to: range.to };
}
