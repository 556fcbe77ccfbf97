/**
 * Latency histograms with fine, log-spaced bins: the mergeable sketch behind percentiles read from
 * rollups. Bin i holds the integer latencies [LOWER[i], LOWER[i+1]). Bins are exact (one value each) up
 * to 55 ms; above that a bin spans at most 1/55 of its lower bound, so the midpoint of a bin is within
 * 1/110 (0.91 %) of any value in it. A percentile interpolated between two such estimates, as
 * percentile_cont does between two values, keeps that bound.
 *
 * The bounds are whole numbers computed with integer arithmetic, so SQL (the `lumen_latency_bin`
 * function, width_bucket over the same literal array) and this file agree exactly on every database.
 */
export const BIN_SPAN_DIVISOR = 55;
const MAX_LATENCY = 2_147_483_647;

function latencyBinLowerBounds(): number[] {
  const bounds = [0];
  for (;;) {
    const lower = bounds[bounds.length - 1]!;
    const next = lower + Math.floor(lower / BIN_SPAN_DIVISOR) + 1;
    if (next > MAX_LATENCY) return bounds;
    bounds.push(next);
  }
}

/** LOWER[i] is the smallest latency (ms) in bin i. */
export const LATENCY_BIN_LOWER: readonly number[] = latencyBinLowerBounds();

/** The bin of a latency, as SQL computes it (used by tests and in-memory callers). */
export function latencyBin(latencyMs: number): number {
  let low = 0;
  let high = LATENCY_BIN_LOWER.length - 1;
  const value = Math.max(0, latencyMs);
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (LATENCY_BIN_LOWER[mid]! <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The value standing for every latency in a bin: the midpoint of the whole numbers it holds. */
export function binEstimate(bin: number): number {
  const lower = LATENCY_BIN_LOWER[bin]!;
  const upper = (LATENCY_BIN_LOWER[bin + 1] ?? MAX_LATENCY + 1) - 1;
  return (lower + upper) / 2;
}

/** Bytes per histogram entry in the stored form: uint16 bin, int32 count, big-endian. */
const ENTRY_BYTES = 6;

/** A histogram being merged: one counter per bin. */
export class LatencyHistogram {
  private readonly counts = new Float64Array(LATENCY_BIN_LOWER.length);
  total = 0;

  add(bin: number, count: number): this {
    this.counts[bin]! += count;
    this.total += count;
    return this;
  }

  /** Adds a stored histogram (metric_rollup.latency_hist). */
  addEncoded(bytes: Uint8Array): this {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let offset = 0; offset + ENTRY_BYTES <= bytes.byteLength; offset += ENTRY_BYTES) {
      this.add(view.getUint16(offset), view.getInt32(offset + 2));
    }
    return this;
  }

  /** The count of each bin that holds any, in bin order. */
  *bins(): Generator<[bin: number, count: number]> {
    for (let bin = 0; bin < this.counts.length; bin++) if (this.counts[bin]! > 0) yield [bin, this.counts[bin]!];
  }

  /** Adds raw latencies, each a big-endian int32 (int4send), to their bins. */
  addValues(bytes: Uint8Array): this {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) this.add(latencyBin(view.getInt32(offset)), 1);
    return this;
  }

  /**
   * The p-th percentile (0..1) the way percentile_cont computes it, with each order statistic
   * replaced by its bin's estimate; null when the histogram is empty.
   */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = p * (this.total - 1);
    const lowerRank = Math.floor(rank);
    const fraction = rank - lowerRank;
    const lower = this.valueAtRank(lowerRank);
    return fraction === 0 ? lower : lower + fraction * (this.valueAtRank(lowerRank + 1) - lower);
  }

  /** The estimate of the order statistic with 0-based rank `rank`. */
  private valueAtRank(rank: number): number {
    let seen = 0;
    let last = 0;
    for (let bin = 0; bin < this.counts.length; bin++) {
      if (this.counts[bin] === 0) continue;
      seen += this.counts[bin]!;
      last = bin;
      if (rank < seen) return binEstimate(bin);
    }
    return binEstimate(last);
  }
}

/** The SQL function body's literal: the lower bounds of bins 1..n (width_bucket counts those <= v). */
export function latencyBinThresholdsLiteral(): string {
  return `{${LATENCY_BIN_LOWER.slice(1).join(',')}}`;
}

/** The bars of the dashboard's latency histogram, in ms: log-spaced, the last one open. */
export const DISPLAY_BOUNDS: readonly number[] = [
  0, 50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 60_000,
];

/**
 * The display bars of a fine histogram. A fine bin goes to the bar holding its estimate (bins above 55 ms
 * span under 2 %, so at most that share of a bar's calls can belong to its neighbour); with exact bins
 * (raw reads, under 55 ms) the counts are exact.
 */
export function displayBuckets(histogram: LatencyHistogram): { lowerMs: number; upperMs: number | null; count: number }[] {
  const counts = DISPLAY_BOUNDS.map(() => 0);
  for (const [bin, count] of histogram.bins()) {
    const value =
      LATENCY_BIN_LOWER[bin + 1] !== undefined && LATENCY_BIN_LOWER[bin + 1]! - LATENCY_BIN_LOWER[bin]! === 1
        ? LATENCY_BIN_LOWER[bin]!
        : binEstimate(bin);
    let bar = DISPLAY_BOUNDS.length - 1;
    while (bar > 0 && DISPLAY_BOUNDS[bar]! > value) bar--;
    counts[bar]! += count;
  }
  return DISPLAY_BOUNDS.map((lowerMs, i) => ({ lowerMs, upperMs: DISPLAY_BOUNDS[i + 1] ?? null, count: counts[i]! }));
}
