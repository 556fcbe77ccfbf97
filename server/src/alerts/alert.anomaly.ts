/**
 * The baseline of an ANOMALY rule: the metric over the same window at the same hour of the week in each
 * of the last BASELINE_WEEKS weeks. Traffic of LLM apps follows the week (office hours, weekends), so a
 * Monday 10:00 peak is compared with earlier Monday 10:00 peaks, not with the night before.
 *
 * Median and MAD rather than mean and standard deviation: one past incident among four weeks moves the
 * mean and inflates the deviation enough to hide the next one; the median and MAD ignore it. The MAD is
 * scaled by 1.4826 so that it estimates the standard deviation of normal data, and k reads as "k sigma".
 * Four points give a coarse MAD, and identical weeks give 0, which would make any wiggle an anomaly: the
 * deviation is at least DEVIATION_FLOOR (10 %) of the median. From four weeks, a spread narrower than a
 * tenth of the usual level is more luck than knowledge.
 */
export const BASELINE_WEEKS = 4;
/** Baseline weeks that must hold at least minSamples samples for the rule to be judged. */
export const MIN_BASELINE_WEEKS = 3;
export const WEEK_MS = 7 * 86_400_000;
const MAD_SCALE = 1.4826;
const DEVIATION_FLOOR = 0.1;

export interface Baseline {
  median: number;
  /** The robust deviation: 1.4826 × MAD, at least 10 % of |median|. */
  deviation: number;
  points: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The baseline of the weeks' values; null with fewer than MIN_BASELINE_WEEKS of them. */
export function robustBaseline(values: readonly number[]): Baseline | null {
  if (values.length < MIN_BASELINE_WEEKS) return null;
  const center = median(values);
  const mad = median(values.map((value) => Math.abs(value - center)));
  return { median: center, deviation: Math.max(MAD_SCALE * mad, DEVIATION_FLOOR * Math.abs(center)), points: values.length };
}

/** The band outside which a value is an anomaly: median ± k deviations. */
export function band(baseline: Baseline, k: number): { lower: number; upper: number } {
  return { lower: baseline.median - k * baseline.deviation, upper: baseline.median + k * baseline.deviation };
}
