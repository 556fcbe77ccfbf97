import { describe, expect, it } from 'vitest';

import { LIGHT_CHART_THEME } from '../../components/charts/chartTheme';
import {
  bucketSpan,
  costTrendOption,
  errorsTrendOption,
  latencyTrendOption,
  streamingTrendOption,
  tokenUsageOption,
  type SeriesPoint,
  type Trend,
  type TrendWords,
} from './trendCharts';

const words: TrendWords = {
  p50: 'P50',
  p95: 'P95',
  p99: 'P99',
  requests: 'Requests',
  inputTokens: 'Input',
  outputTokens: 'Output',
  cost: 'Cost',
  ttftP50: 'TTFT P50',
  ttftP95: 'TTFT P95',
  throughput: 'Tokens/s',
  errors: 'Errors',
  errorRate: 'Error rate',
};
const where = { locale: 'en', timeZone: 'Asia/Shanghai' };
const point = (bucket: string, overrides: Partial<SeriesPoint> = {}): SeriesPoint => ({
  bucket,
  requestCount: 10,
  errorCount: 1,
  latencyP50: 400,
  latencyP95: 1800,
  latencyP99: 4200,
  inputTokens: 12_000,
  outputTokens: 900,
  totalCost: '0.1234567',
  ttftP50: 180,
  ttftP95: 650,
  outputTokensPerSecond: 42.25,
  ...overrides,
});
const trend: Trend = {
  interval: 'HOUR',
  range: { from: '2026-03-01T00:30:00.000Z', to: '2026-03-01T02:30:00.000Z' },
  points: [
    point('2026-03-01T00:00:00Z'),
    point('2026-03-01T01:00:00Z', {
      requestCount: 0,
      latencyP50: null,
      latencyP95: null,
      latencyP99: null,
      ttftP50: null,
      ttftP95: null,
      outputTokensPerSecond: null,
    }),
    point('2026-03-01T02:00:00Z'),
  ],
};
type Series = Array<{ name: string; data: Array<[number, number | null]>; stack?: string }>;
const tooltip = (option: ReturnType<typeof latencyTrendOption>, dataIndex: number) =>
  (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex }]);

describe('latencyTrendOption', () => {
  it('draws P50, P95 and P99 over a time axis from the first bucket to the end of the range, with gaps where nothing ran', () => {
    const option = latencyTrendOption(trend, LIGHT_CHART_THEME, where, words);
    const series = option.series as unknown as Array<{ name: string; data: Array<{ value: [number, number | null]; symbolSize: number }> }>;
    expect(series.map((s) => s.name)).toEqual(['P50', 'P95', 'P99']);
    expect(series[1]!.data.map((d) => d.value[1])).toEqual([1800, null, 1800]);
    // The last point stands alone after the gap, so it is drawn as a dot; the first has no line either.
    expect(series[1]!.data.map((d) => d.symbolSize)).toEqual([5, 0, 5]);
    expect(option.xAxis).toMatchObject({
      type: 'time',
      min: Date.parse('2026-03-01T00:00:00Z'),
      max: Date.parse('2026-03-01T02:30:00.000Z'),
    });
    const axis = option.yAxis as { axisLabel: { formatter: (v: number) => string } };
    expect(axis.axisLabel.formatter(1500)).toBe('1.5 sec');
    const text = tooltip(option, 0);
    expect(text).toContain('Mar 1, 08:00');
    expect(text).toContain('4.2 sec');
    expect(text).toContain('Requests');
  });
});

describe('tokenUsageOption and costTrendOption', () => {
  it('stack input and output tokens, and show cost as the exact decimal in the tooltip', () => {
    const tokens = tokenUsageOption(trend, LIGHT_CHART_THEME, where, words).series as Series;
    expect(tokens.map((s) => [s.name, s.stack])).toEqual([
      ['Input', 'tokens'],
      ['Output', 'tokens'],
    ]);
    const cost = costTrendOption(trend, LIGHT_CHART_THEME, where, words);
    expect((cost.series as Series)[0]!.data[0]).toEqual([Date.parse('2026-03-01T00:00:00Z'), 0.1234567]);
    expect(tooltip(cost, 0)).toContain('$0.12');
    expect((cost.yAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter(1500)).toBe('$1.5K');
  });
});

describe('streamingTrendOption', () => {
  it('draws TTFT P50 and P95 in time and throughput on its own axis, with gaps where nothing streamed', () => {
    const option = streamingTrendOption(trend, LIGHT_CHART_THEME, where, words);
    const series = option.series as unknown as Array<{ name: string; yAxisIndex: number; data: Array<{ value: [number, number | null] }> }>;
    expect(series.map((s) => [s.name, s.yAxisIndex])).toEqual([
      ['TTFT P50', 0],
      ['TTFT P95', 0],
      ['Tokens/s', 1],
    ]);
    expect(series[2]!.data.map((d) => d.value[1])).toEqual([42.25, null, 42.25]);
    const [time, speed] = option.yAxis as Array<{ axisLabel: { formatter: (v: number) => string } }>;
    expect(time!.axisLabel.formatter(650)).toBe('650 ms');
    expect(speed!.axisLabel.formatter(42.25)).toBe('42.3');
    const text = tooltip(option, 0);
    expect(text).toContain('180 ms');
    expect(text).toContain('42.3');
  });
});

describe('bucketSpan', () => {
  const trend = (interval: 'HOUR' | 'DAY' | 'MONTH') => ({
    interval,
    range: { from: '2026-12-03T10:30:00.000Z', to: '2026-12-04T10:30:00.000Z' },
    points: [{ bucket: '2026-12-03T10:00:00.000Z' }, { bucket: '2026-12-03T11:00:00.000Z' }] as unknown as Trend['points'],
  });

  it('gives the clicked bucket, clipped to the range shown', () => {
    expect(bucketSpan(trend('HOUR'), 1)).toEqual({ from: '2026-12-03T11:00:00.000Z', to: '2026-12-03T12:00:00.000Z' });
    expect(bucketSpan(trend('HOUR'), 0)).toEqual({ from: '2026-12-03T10:30:00.000Z', to: '2026-12-03T11:00:00.000Z' });
    expect(bucketSpan(trend('DAY'), 1)).toEqual({ from: '2026-12-03T11:00:00.000Z', to: '2026-12-04T10:30:00.000Z' });
    expect(bucketSpan(trend('HOUR'), 5)).toBeNull();
  });
});

describe('errorsTrendOption', () => {
  it('draws failed calls per bucket as bars, with the error rate and the requests of the bucket in the tooltip', () => {
    const option = errorsTrendOption(
      { ...trend, points: [point('2026-03-01T00:00:00Z', { errorCount: 3, requestCount: 12 }), trend.points[1]!, trend.points[2]!] },
      LIGHT_CHART_THEME,
      where,
      words,
    );
    const series = option.series as Series;
    expect(series.map((s) => s.name)).toEqual(['Errors']);
    expect(series[0]!.data.map(([, value]) => value)).toEqual([3, 1, 1]);
    expect((series[0] as unknown as { itemStyle: { color: string } }).itemStyle.color).toBe(LIGHT_CHART_THEME.error);
    const text = tooltip(option, 0);
    expect(text).toContain('Errors');
    expect(text).toContain('25%');
    expect(text).toContain('12');
    // A bucket without calls has no rate to show.
    expect(tooltip(option, 1)).toContain('–');
  });
});
