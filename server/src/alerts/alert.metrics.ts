import type { FeedbackService } from '../feedback/feedback.service.js';
import type { TimeRange } from '../graphql/time-range.js';
import type { MetricsService } from '../metrics/metrics.service.js';
import type { MetricsSummary } from '../metrics/metrics.types.js';
import { AlertMetric } from './alert-rule.entity.js';

/** A rule's scope: calls (or feedback) of this app and model; null matches all. */
export interface AlertScope {
  appId: string | null;
  model: string | null;
}

/** A metric's value over a window, and the number of calls (or feedback) it rests on. */
export interface Measurement {
  /** A decimal string; null when there is nothing to measure (a rate or latency of no calls). */
  value: string | null;
  samples: number;
}

/** Where the engine and previews get a rule's metric; the services that own each metric's queries answer. */
export interface AlertMetricSource {
  measure(metric: AlertMetric, range: TimeRange, scope: AlertScope): Promise<Measurement>;
}

type CallMetric = Exclude<AlertMetric, AlertMetric.NEGATIVE_FEEDBACK_RATE>;

/** Which field of the metrics summary each call metric reads. */
const SUMMARY_FIELD: Record<CallMetric, keyof MetricsSummary> = {
  ERROR_RATE: 'errorRate',
  LATENCY_AVG: 'latencyAvg',
  LATENCY_P50: 'latencyP50',
  LATENCY_P95: 'latencyP95',
  LATENCY_P99: 'latencyP99',
  COST: 'totalCost',
  TOKENS: 'totalTokens',
  REQUEST_COUNT: 'requestCount',
  TTFT_P50: 'ttftP50',
  TTFT_P95: 'ttftP95',
  OUTPUT_TOKENS_PER_SECOND: 'outputTokensPerSecond',
};

/** The calls a metric rests on: TTFT percentiles only on the calls that report a TTFT. */
const SAMPLES_FIELD: Partial<Record<CallMetric, keyof MetricsSummary>> = { TTFT_P50: 'ttftCount', TTFT_P95: 'ttftCount' };

/**
 * Measures rules with the services that own the metrics, never a copy of their queries: the call
 * metrics from MetricsService.summary (the same numbers as metricsSummary), NEGATIVE_FEEDBACK_RATE from
 * FeedbackService.negativeRate. The sample count is the number of calls (for TTFT, of the calls that
 * report one), or of feedback.
 */
export class LumenAlertMetrics implements AlertMetricSource {
  constructor(
    private readonly metrics: MetricsService,
    private readonly feedback: FeedbackService,
  ) {}

  async measure(metric: AlertMetric, range: TimeRange, scope: AlertScope): Promise<Measurement> {
    if (metric === AlertMetric.NEGATIVE_FEEDBACK_RATE) {
      const rate = await this.feedback.negativeRate(range, scope);
      return { value: rate.rate === null ? null : String(rate.rate), samples: rate.count };
    }
    const summary = await this.metrics.summary(range, { appId: scope.appId, model: scope.model });
    const value = summary[SUMMARY_FIELD[metric]] as number | string | null;
    return { value: value === null ? null : String(value), samples: summary[SAMPLES_FIELD[metric] ?? 'requestCount'] as number };
  }
}
