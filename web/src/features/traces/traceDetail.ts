import type { SpanKind, TraceDetailQuery } from '../../graphql/generated/operations';

export type TraceDetail = NonNullable<TraceDetailQuery['trace']>;
export type TraceSpan = TraceDetail['spans'][number];

/** The CSS colour of a span kind (styles.css defines one per kind, light and dark). */
export const kindColor = (kind: SpanKind) => `var(--kind-${kind.toLowerCase()})`;
