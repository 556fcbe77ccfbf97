import { Arg, Authorized, Ctx, Int, Query, Resolver, Root, Subscription } from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { LumenContext } from '../graphql/context.js';
import { TimeRangeInput } from '../graphql/time-range.js';
import { MetricsFilter } from '../logs/log.types.js';
import {
  LatencyBucket,
  MetricsDimension,
  MetricsGroup,
  MetricsInterval,
  MetricsPoint,
  MetricsSnapshot,
  MetricsSummary,
} from './metrics.types.js';

interface LiveMetricsArgs {
  filter?: MetricsFilter | null;
  windowSeconds: number;
}

@Resolver()
export class MetricsResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => MetricsSummary, { description: 'Metrics of the calls in a range [from, to), optionally filtered. READ or ADMIN.' })
  metricsSummary(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('filter', () => MetricsFilter, { nullable: true }) filter: MetricsFilter | null,
  ): Promise<MetricsSummary> {
    return services.metrics.summary(range, filter);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => [LatencyBucket], {
    description:
      'The calls of a range by latency, in log-spaced bars from 0 ms to 60 s and over (empty bars included). Read from the same ' +
      'rollups as the percentiles on long ranges (a bar may count up to 2 % of its calls from its neighbour), exact otherwise. READ or ADMIN.',
  })
  latencyHistogram(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('filter', () => MetricsFilter, { nullable: true }) filter: MetricsFilter | null,
  ): Promise<LatencyBucket[]> {
    return services.metrics.latencyHistogram(range, filter);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => [MetricsPoint], {
    description: 'A zero-filled time series, oldest bucket first, aligned in `timezone` (IANA, default UTC). READ or ADMIN.',
  })
  metricsTimeSeries(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('interval', () => MetricsInterval, { nullable: true, description: 'Omit for the narrowest interval giving at most 200 points.' })
    interval: MetricsInterval | null,
    @Arg('filter', () => MetricsFilter, { nullable: true }) filter: MetricsFilter | null,
    @Arg('timezone', () => String, { nullable: true, description: 'An IANA time zone such as Asia/Shanghai; UTC when omitted.' })
    timezone: string | null,
  ): Promise<MetricsPoint[]> {
    return services.metrics.timeSeries(range, interval, filter, timezone);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => [MetricsGroup], { description: 'Metrics per model, app, user or provider, most requests first. READ or ADMIN.' })
  metricsBreakdown(
    @Ctx() { services }: LumenContext,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('by', () => MetricsDimension) by: MetricsDimension,
    @Arg('filter', () => MetricsFilter, { nullable: true }) filter: MetricsFilter | null,
    @Arg('limit', () => Int, { defaultValue: 10, description: 'At most this many groups (1-1000).' }) limit: number,
    @Arg('withRemainder', () => Boolean, {
      defaultValue: false,
      description: 'Add one last group (key null, remainder true) summing the groups beyond the limit, when there are any.',
    })
    withRemainder: boolean,
  ): Promise<MetricsGroup[]> {
    return services.metrics.breakdown(range, by, filter, limit, withRemainder);
  }

  @Authorized(ApiKeyRole.READ)
  @Subscription(() => MetricsSnapshot, {
    description:
      'The summary of the last `windowSeconds` (10-86400), pushed at once and then every few seconds (LIVE_METRICS_INTERVAL_SECONDS) when it changed. READ or ADMIN.',
    subscribe: ({ args, context }) => {
      const { filter, windowSeconds } = args as LiveMetricsArgs;
      return (context as LumenContext).services.liveMetrics.subscribe(filter, windowSeconds);
    },
  })
  liveMetrics(
    @Root() snapshot: MetricsSnapshot,
    @Arg('filter', () => MetricsFilter, { nullable: true }) _filter: MetricsFilter | null,
    @Arg('windowSeconds', () => Int, { defaultValue: 300 }) _windowSeconds: number,
  ): MetricsSnapshot {
    return snapshot;
  }
}
