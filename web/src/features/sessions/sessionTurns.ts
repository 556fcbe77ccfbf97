import type { SessionDetailQuery } from '../../graphql/generated/operations';

export type SessionDetail = NonNullable<SessionDetailQuery['session']>;
export type SessionTrace = SessionDetail['traces'][number];

interface TurnSpan {
  spanId: string;
  parentSpanId?: string | null;
  input?: string | null;
  output?: string | null;
}

/**
 * What the user asked and what the application answered in one turn (trace): the input and the
 * output of the span nearest the root that has them. Dify's root carries neither; its "message"
 * span under it carries the query and the answer.
 */
export function turnText(spans: readonly TurnSpan[]): { input: string | null; output: string | null } {
  const ids = new Set(spans.map((span) => span.spanId));
  const depth = new Map<string, number>();
  const depthOf = (span: TurnSpan, seen = new Set<string>()): number => {
    const known = depth.get(span.spanId);
    if (known !== undefined) return known;
    const parent =
      span.parentSpanId && ids.has(span.parentSpanId) && !seen.has(span.spanId)
        ? spans.find((s) => s.spanId === span.parentSpanId)
        : undefined;
    const value = parent ? depthOf(parent, seen.add(span.spanId)) + 1 : 0;
    depth.set(span.spanId, value);
    return value;
  };
  const byDepth = spans
    .map((span, index) => ({ span, index, depth: depthOf(span) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index);
  const first = (field: 'input' | 'output') => byDepth.find(({ span }) => span[field]?.trim())?.span[field] ?? null;
  return { input: first('input'), output: first('output') };
}

export interface TurnFeedback {
  rating: 'POSITIVE' | 'NEGATIVE';
  comment?: string | null;
}

/** The feedback on a turn's calls, negative first, so that a complaint is never hidden below praise. */
export function turnFeedback<F extends TurnFeedback>(calls: readonly { feedback: readonly F[] }[]): F[] {
  const all = calls.flatMap((call) => call.feedback);
  return [...all.filter((f) => f.rating === 'NEGATIVE'), ...all.filter((f) => f.rating !== 'NEGATIVE')];
}
