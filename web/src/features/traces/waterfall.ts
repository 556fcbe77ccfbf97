/** The fields of a span the waterfall lays out. */
export interface SpanTiming {
  spanId: string;
  parentSpanId?: string | null;
  startTime: string;
  endTime: string;
}

/** One line of the waterfall: a span, or the placeholder standing for a parent that never arrived. */
export interface WaterfallRow<S extends SpanTiming> {
  key: string;
  span: S | null;
  depth: number;
  /** Where the bar starts and how wide it is, as fractions of the trace's extent (0 to 1). */
  offset: number;
  width: number;
  hasChildren: boolean;
}

export interface Waterfall<S extends SpanTiming> {
  rows: WaterfallRow<S>[];
  startMs: number;
  durationMs: number;
}

export const PLACEHOLDER_KEY = 'missing-root';

const startOf = (span: SpanTiming) => Date.parse(span.startTime);
const endOf = (span: SpanTiming) => Math.max(Date.parse(span.endTime), startOf(span));

/**
 * Lays out a trace's spans as a tree on a shared time axis. The tree follows parent links, not
 * start times (Dify's root span starts after its children); siblings are ordered by start. Spans
 * whose parent is absent (or that sit in a parent cycle) hang under one placeholder row.
 */
export function buildWaterfall<S extends SpanTiming>(spans: readonly S[]): Waterfall<S> {
  if (spans.length === 0) return { rows: [], startMs: 0, durationMs: 0 };
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = new Map<string, S[]>();
  const roots: S[] = [];
  const orphans: S[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (!parent) roots.push(span);
    else if (parent === span.spanId || !byId.has(parent)) orphans.push(span);
    else children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const startMs = Math.min(...spans.map(startOf));
  const durationMs = Math.max(...spans.map(endOf)) - startMs;
  const place = (from: number, to: number) => ({
    offset: durationMs > 0 ? (from - startMs) / durationMs : 0,
    width: durationMs > 0 ? (to - from) / durationMs : 1,
  });
  const byStart = (list: S[]) => [...list].sort((a, b) => startOf(a) - startOf(b));

  const rows: WaterfallRow<S>[] = [];
  const visited = new Set<string>();
  const visit = (span: S, depth: number) => {
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    const own = byStart(children.get(span.spanId) ?? []);
    rows.push({ key: span.spanId, span, depth, hasChildren: own.length > 0, ...place(startOf(span), endOf(span)) });
    for (const child of own) visit(child, depth + 1);
  };
  for (const root of byStart(roots)) visit(root, 0);

  // Whatever no root reached: orphans with their subtrees first, then spans caught in a parent cycle.
  const cycles = spans.filter((span) => !visited.has(span.spanId) && !orphans.includes(span));
  const missing = [...byStart(orphans), ...byStart(cycles)];
  if (missing.length > 0) {
    const placeholder = { key: PLACEHOLDER_KEY, span: null, depth: 0, hasChildren: true, offset: 0, width: 0 };
    rows.push(placeholder);
    const first = rows.length;
    for (const span of missing) visit(span, 1);
    const placed = rows.slice(first).map((row) => row.span!);
    Object.assign(placeholder, place(Math.min(...placed.map(startOf)), Math.max(...placed.map(endOf))));
  }
  return { rows, startMs, durationMs };
}

/** Text that holds JSON shown indented; anything else as it came. */
export function prettyJson(text: string | null | undefined): string | null {
  if (text == null) return null;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}

/** Ticks for the time axis: `count` evenly spaced offsets (0 to 1) with their time since the start. */
export function axisTicks(durationMs: number, count = 4): { offset: number; ms: number }[] {
  return Array.from({ length: count + 1 }, (_, i) => ({ offset: i / count, ms: (durationMs * i) / count }));
}
