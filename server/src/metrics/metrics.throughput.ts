/**
 * Output throughput, in output tokens per second of generation. A call's generation time is
 * latencyMs − timeToFirstTokenMs when it reports a time to first token below its latency (the tokens
 * stream in after the first one), else its whole latencyMs. Only calls that produced output
 * (outputTokens > 0) in a known, positive latency count.
 *
 * Over many calls the rate is Σ output tokens / Σ generation seconds, not the mean of per-call rates:
 * a call of 2 tokens in 4 ms (500 tokens/s) would otherwise outweigh a long answer, and the sums add up
 * exactly across rollup rows, so rollups and raw reads give the same number.
 */

/** The SQL of a call's generation time (ms), null when the call does not count. */
export function generationMsSql(latency: string, ttft: string, outputTokens: string): string {
  return `(case when ${latency} > 0 and ${outputTokens} > 0
                then case when ${ttft} is not null and ${ttft} < ${latency} then ${latency} - ${ttft} else ${latency} end end)`;
}

/** The SQL of a call's output tokens as throughput counts them: 0 when the call does not count. */
export function generationTokensSql(latency: string, outputTokens: string): string {
  return `(case when ${latency} > 0 and ${outputTokens} > 0 then ${outputTokens} else 0 end)`;
}

/** Output tokens per second from the two sums; null when no call counts. */
export function outputTokensPerSecond(generationTokens: number, generationMs: number): number | null {
  return generationMs > 0 ? (generationTokens * 1000) / generationMs : null;
}
