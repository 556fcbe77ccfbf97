/** How a figure moved against the previous period, and whether that is good news. */
export interface Change {
  /** (current − previous) / previous, or the difference in points for rates. */
  value: number;
  kind: 'ratio' | 'points';
  tone: 'good' | 'bad' | 'neutral';
}

/** Whether a rise is good (success rate), bad (errors, latency, cost) or neither (traffic, tokens). */
export type Direction = 'higherIsBetter' | 'lowerIsBetter' | 'neutral';

// Below this, a change is noise and is shown as neutral.
const SIGNIFICANT = 0.01;

function toneOf(value: number, direction: Direction): Change['tone'] {
  if (direction === 'neutral' || Math.abs(value) < SIGNIFICANT) return 'neutral';
  return value > 0 === (direction === 'higherIsBetter') ? 'good' : 'bad';
}

/** The relative change of a count, latency or cost; null when there is nothing to compare with. */
export function ratioChange(current: number | null, previous: number | null, direction: Direction): Change | null {
  if (current == null || previous == null || previous === 0) return null;
  const value = (current - previous) / previous;
  return { value, kind: 'ratio', tone: toneOf(value, direction) };
}

/** The change of a rate (0–1) in percentage points: 97 % → 95 % is −2 points, not −2 %. */
export function pointsChange(current: number | null, previous: number | null, direction: Direction): Change | null {
  if (current == null || previous == null) return null;
  const value = current - previous;
  return { value, kind: 'points', tone: toneOf(value, direction) };
}

/**
 * Whether the previous period can be compared with at all: one with a tenth of the traffic or less
 * (before the service started sending, say) would show changes of thousands of percent that mean
 * nothing.
 */
export function isComparable(requests: number, previousRequests: number | null | undefined): boolean {
  return previousRequests != null && previousRequests > 0 && previousRequests * 10 >= requests;
}
