import type { FeedbackService } from '../feedback/feedback.service.js';
import type { TimeRange } from '../graphql/time-range.js';
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

export class MetricUnavailableError extends Error {}

/**
 * NEGATIVE_FEEDBACK_RATE from the feedback service. The call metrics come from the metrics service,
 * which this source does not reach yet: rules on them are reported as not evaluable.
 */
export class LumenAlertMetrics implements AlertMetricSource {
  constructor(private readonly feedback: FeedbackService) {}

  async measure(metric: AlertMetric, range: TimeRange, scope: AlertScope): Promise<Measurement> {
    if (metric === AlertMetric.NEGATIVE_FEEDBACK_RATE) {
      const rate = await this.feedback.negativeRate(range, scope);
      return { value: rate.rate === null ? null : String(rate.rate), samples: rate.count };
    }
    throw new MetricUnavailableError(`${metric} needs the metrics service`);
  }
}
