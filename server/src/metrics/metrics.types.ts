import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

import { DateTimeScalar, DecimalScalar } from '../graphql/scalars.js';

export enum MetricsInterval {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(MetricsInterval, {
  name: 'MetricsInterval',
  description: 'The width of a time-series bucket, aligned in the requested time zone (weeks start on Monday).',
});

export enum MetricsDimension {
  MODEL = 'MODEL',
  APP = 'APP',
  USER = 'USER',
  PROVIDER = 'PROVIDER',
}
registerEnumType(MetricsDimension, { name: 'MetricsDimension', description: 'What a breakdown groups by.' });

// Counts and token sums are Float, not Int: a month of traffic passes GraphQL's 32-bit Int. They are
// always whole numbers, exact up to 2^53.
@ObjectType({
  description: 'Metrics of the model calls in a range and filter. Empty ranges give zero counts and null rates and latencies.',
})
export class MetricsSummary {
  @Field(() => Float, { description: 'Calls (a whole number).' })
  requestCount!: number;

  @Field(() => Float, { description: 'Calls with status SUCCESS.' })
  successCount!: number;

  @Field(() => Float, { description: 'Calls with status ERROR.' })
  errorCount!: number;

  @Field(() => Float, { nullable: true, description: 'successCount / requestCount, 0..1; null without calls.' })
  successRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'errorCount / requestCount, 0..1; null without calls.' })
  errorRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean latencyMs of the calls that report one.' })
  latencyAvg!: number | null;

  @Field(() => Float, { nullable: true, description: 'Median latencyMs (percentile_cont; within 1 % when read from rollups).' })
  latencyP50!: number | null;

  @Field(() => Float, { nullable: true, description: '95th percentile of latencyMs.' })
  latencyP95!: number | null;

  @Field(() => Float, { nullable: true, description: '99th percentile of latencyMs.' })
  latencyP99!: number | null;

  @Field(() => Float)
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float, { description: 'inputTokens + outputTokens.' })
  totalTokens!: number;

  @Field(() => DecimalScalar, { description: 'Sum of the known costs (unpriced calls count as 0).' })
  totalCost!: string;

  @Field(() => Float, { description: 'Calls that report timeToFirstTokenMs (streamed calls).' })
  ttftCount!: number;

  @Field(() => Float, { nullable: true, description: 'Mean timeToFirstTokenMs of the calls that report one.' })
  ttftAvg!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Median timeToFirstTokenMs of the calls that report one (within 1 % when read from rollups).',
  })
  ttftP50!: number | null;

  @Field(() => Float, { nullable: true, description: '95th percentile of timeToFirstTokenMs.' })
  ttftP95!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Output tokens per second of generation: Σ outputTokens / Σ generation seconds over the calls with output and a latency, where generation is latencyMs − timeToFirstTokenMs when the call reports a TTFT below its latency, else latencyMs. Null without such calls.',
  })
  outputTokensPerSecond!: number | null;
}

@ObjectType({ description: 'One bucket of a time series: its start and the metrics of the calls in it.' })
export class MetricsPoint extends MetricsSummary {
  @Field(() => DateTimeScalar, {
    description: 'Start of the bucket (aligned in the requested time zone; the first may start before the range).',
  })
  bucket!: Date;
}

@ObjectType({ description: 'The metrics of one model, app, user or provider.' })
export class MetricsGroup extends MetricsSummary {
  @Field(() => String, {
    nullable: true,
    description: 'The model, app, user or provider; null for calls without a user, and for the remainder.',
  })
  key!: string | null;

  @Field(() => Boolean, { description: 'True for the one group that sums everything outside the limit (only with withRemainder).' })
  remainder!: boolean;
}

@ObjectType({ description: 'The metrics of a sliding window, as pushed by liveMetrics.' })
export class MetricsSnapshot {
  @Field(() => DateTimeScalar, { description: 'The end of the window: when the snapshot was computed.' })
  at!: Date;

  @Field(() => Int)
  windowSeconds!: number;

  @Field(() => MetricsSummary)
  summary!: MetricsSummary;
}

@ObjectType({ description: 'One bar of a latency histogram: the calls whose latency is in [lowerMs, upperMs).' })
export class LatencyBucket {
  @Field(() => Int, { description: 'The smallest latency in the bucket, in milliseconds.' })
  lowerMs!: number;

  @Field(() => Int, { nullable: true, description: 'The first latency past the bucket, in milliseconds; null for the last, open bucket.' })
  upperMs!: number | null;

  @Field(() => Int, { description: 'Calls in the bucket.' })
  count!: number;
}
