import { bucketLabel, moneyTick, timeTickLabel, type ChartLocale } from '../../components/charts/axisFormat';
import {
  baseOption,
  gappedLineData,
  measureColor,
  timeAxis,
  tooltipHtml,
  valueAxis,
  type Measure,
  type TooltipRow,
} from '../../components/charts/chartStyle';
import type { ChartTheme } from '../../components/charts/chartTheme';
import type { ChartOption } from '../../components/charts/echarts';
import { formatCompact, formatDecimalNumber, formatDuration, formatInteger, formatMoney, formatPercent } from '../../format';
import type { DashboardQuery, MetricsInterval } from '../../graphql/generated/operations';

export type SeriesPoint = DashboardQuery['series'][number];

/** The time series of one view: its points, their width and the range they cover. */
export interface Trend {
  points: readonly SeriesPoint[];
  interval: MetricsInterval;
  range: { from: string; to: string };
}

/** The translated words the trend charts show. */
export interface TrendWords {
  p50: string;
  p95: string;
  p99: string;
  requests: string;
  inputTokens: string;
  outputTokens: string;
  cost: string;
  ttftP50: string;
  ttftP95: string;
  throughput: string;
  errors: string;
  errorRate: string;
}

export const COST_CURRENCY = 'USD';

interface Line {
  name: string;
  measure: Measure;
  values: Array<number | null>;
  format: (point: SeriesPoint, index: number) => string;
}

/** What the time-series charts share: a time axis over the range, a tooltip naming the bucket, one row per series. */
function trendOption(
  trend: Trend,
  theme: ChartTheme,
  where: ChartLocale,
  lines: readonly Line[],
  extraRows: (point: SeriesPoint) => TooltipRow[],
): ChartOption {
  const times = trend.points.map((point) => Date.parse(point.bucket));
  // The first bucket may start before the range (it is aligned to the viewer's hour or day).
  const from = Math.min(Date.parse(trend.range.from), times[0] ?? Infinity);
  const to = Date.parse(trend.range.to);
  const base = baseOption(theme);
  return {
    ...base,
    tooltip: {
      ...base.tooltip,
      trigger: 'axis',
      formatter: (params) => {
        const index = (params as Array<{ dataIndex: number }>)[0]!.dataIndex;
        const point = trend.points[index]!;
        const rows = lines.map((line) => ({
          color: measureColor(theme, line.measure),
          label: line.name,
          value: line.format(point, index),
        }));
        return tooltipHtml(bucketLabel(point.bucket, trend.interval, where.locale, where.timeZone), [...rows, ...extraRows(point)]);
      },
    },
    xAxis: timeAxis(theme, { from, to }, (value) => timeTickLabel(value, to - from, where.locale, where.timeZone)),
  };
}

/** Response time P50, P95 and P99 per bucket; buckets without calls leave a gap rather than a false zero. */
export function latencyTrendOption(trend: Trend, theme: ChartTheme, where: ChartLocale, words: TrendWords): ChartOption {
  const duration = (ms: number | null) => formatDuration(ms, where.locale);
  const lines: Line[] = [
    { name: words.p50, measure: 'p50', values: trend.points.map((p) => p.latencyP50), format: (p) => duration(p.latencyP50) },
    { name: words.p95, measure: 'p95', values: trend.points.map((p) => p.latencyP95), format: (p) => duration(p.latencyP95) },
    { name: words.p99, measure: 'p99', values: trend.points.map((p) => p.latencyP99), format: (p) => duration(p.latencyP99) },
  ];
  return {
    ...trendOption(trend, theme, where, lines, (point) => [
      { label: words.requests, value: formatInteger(point.requestCount, where.locale) },
    ]),
    yAxis: valueAxis(theme, (value) => duration(value), { min: 0 }),
    series: lines.map((line) => ({
      name: line.name,
      type: 'line',
      // A point between two gaps (a quiet hour by the minute) has no line to show it: draw it as a dot.
      data: gappedLineData(
        trend.points.map((point) => Date.parse(point.bucket)),
        line.values,
      ),
      showSymbol: true,
      connectNulls: false,
      smooth: 0.15,
      lineStyle: { width: line.measure === 'p95' ? 2.5 : 1.75, type: line.measure === 'p99' ? 'dashed' : 'solid' },
      itemStyle: { color: measureColor(theme, line.measure) },
    })),
  };
}

/**
 * What streaming users feel: time to first token P50 and P95 (left axis) and output tokens per second
 * (right axis, dashed) per bucket; buckets without streamed calls leave gaps.
 */
export function streamingTrendOption(trend: Trend, theme: ChartTheme, where: ChartLocale, words: TrendWords): ChartOption {
  const duration = (ms: number | null) => formatDuration(ms, where.locale);
  const speed = (value: number | null) => formatDecimalNumber(value, where.locale);
  const lines: Line[] = [
    { name: words.ttftP50, measure: 'p50', values: trend.points.map((p) => p.ttftP50), format: (p) => duration(p.ttftP50) },
    { name: words.ttftP95, measure: 'p95', values: trend.points.map((p) => p.ttftP95), format: (p) => duration(p.ttftP95) },
    {
      name: words.throughput,
      measure: 'outputTokens',
      values: trend.points.map((p) => p.outputTokensPerSecond),
      format: (p) => speed(p.outputTokensPerSecond),
    },
  ];
  const times = trend.points.map((point) => Date.parse(point.bucket));
  return {
    ...trendOption(trend, theme, where, lines, (point) => [
      { label: words.requests, value: formatInteger(point.requestCount, where.locale) },
    ]),
    yAxis: [
      valueAxis(theme, (value) => duration(value), { min: 0 }),
      { ...valueAxis(theme, (value) => speed(value), { min: 0 }), splitLine: { show: false } },
    ],
    series: lines.map((line, index) => ({
      name: line.name,
      type: 'line',
      yAxisIndex: index === 2 ? 1 : 0,
      data: gappedLineData(times, line.values),
      showSymbol: true,
      connectNulls: false,
      smooth: 0.15,
      lineStyle: { width: index === 1 ? 2.5 : 1.75, type: index === 2 ? 'dashed' : 'solid' },
      itemStyle: { color: measureColor(theme, line.measure) },
    })),
  };
}

/** Input and output tokens per bucket, stacked. */
export function tokenUsageOption(trend: Trend, theme: ChartTheme, where: ChartLocale, words: TrendWords): ChartOption {
  const count = (value: number) => formatInteger(value, where.locale);
  const lines: Line[] = [
    {
      name: words.inputTokens,
      measure: 'inputTokens',
      values: trend.points.map((p) => p.inputTokens),
      format: (p) => count(p.inputTokens),
    },
    {
      name: words.outputTokens,
      measure: 'outputTokens',
      values: trend.points.map((p) => p.outputTokens),
      format: (p) => count(p.outputTokens),
    },
  ];
  return {
    ...trendOption(trend, theme, where, lines, () => []),
    yAxis: valueAxis(theme, (value) => formatCompact(value, where.locale), { min: 0 }),
    series: lines.map((line, index) => ({
      name: line.name,
      type: 'bar',
      stack: 'tokens',
      data: line.values.map((value, i) => [Date.parse(trend.points[i]!.bucket), value]),
      barMaxWidth: 18,
      itemStyle: { color: measureColor(theme, line.measure), borderRadius: index === lines.length - 1 ? [2, 2, 0, 0] : 0 },
    })),
  };
}

/**
 * Cost per bucket as an area. The drawing uses numbers; the tooltip shows the exact decimal the API
 * summed, so no cent is lost to floating point on the way to the reader.
 */
export function costTrendOption(trend: Trend, theme: ChartTheme, where: ChartLocale, words: TrendWords): ChartOption {
  const color = measureColor(theme, 'cost');
  const lines: Line[] = [
    {
      name: words.cost,
      measure: 'cost',
      values: trend.points.map((p) => Number(p.totalCost)),
      format: (p) => formatMoney(p.totalCost, COST_CURRENCY, where.locale),
    },
  ];
  return {
    ...trendOption(trend, theme, where, lines, (point) => [
      { label: words.requests, value: formatInteger(point.requestCount, where.locale) },
    ]),
    legend: { show: false },
    grid: { ...baseOption(theme).grid, top: 12 },
    yAxis: valueAxis(theme, (value) => moneyTick(value, COST_CURRENCY, where.locale), { min: 0 }),
    series: [
      {
        name: words.cost,
        type: 'line',
        data: lines[0]!.values.map((value, index) => [Date.parse(trend.points[index]!.bucket), value]),
        showSymbol: false,
        smooth: 0.15,
        lineStyle: { width: 2, color },
        itemStyle: { color },
        areaStyle: { color, opacity: 0.14 },
      },
    ],
  };
}

/**
 * Failed calls per bucket as bars (the error colour), with the bucket's error rate and request count in
 * the tooltip: when the failures happened, beside the share of them.
 */
export function errorsTrendOption(trend: Trend, theme: ChartTheme, where: ChartLocale, words: TrendWords): ChartOption {
  const color = measureColor(theme, 'error');
  const lines: Line[] = [
    {
      name: words.errors,
      measure: 'error',
      values: trend.points.map((p) => p.errorCount),
      format: (p) => formatInteger(p.errorCount, where.locale),
    },
  ];
  return {
    ...trendOption(trend, theme, where, lines, (point) => [
      {
        label: words.errorRate,
        value: point.requestCount > 0 ? formatPercent(point.errorCount / point.requestCount, where.locale) : '–',
      },
      { label: words.requests, value: formatInteger(point.requestCount, where.locale) },
    ]),
    legend: { show: false },
    grid: { ...baseOption(theme).grid, top: 12 },
    yAxis: valueAxis(theme, (value) => formatCompact(value, where.locale), { min: 0, minInterval: 1 }),
    series: [
      {
        name: words.errors,
        type: 'bar',
        data: lines[0]!.values.map((value, index) => [Date.parse(trend.points[index]!.bucket), value]),
        barMaxWidth: 18,
        itemStyle: { color, borderRadius: [2, 2, 0, 0] },
      },
    ],
  };
}

/**
 * The time span of the bucket behind a clicked point, clipped to the range shown: what the Logs page
 * opens on. Months are calendar months in UTC here; the other widths are fixed.
 */
export function bucketSpan(trend: Trend, dataIndex: number): { from: string; to: string } | null {
  const point = trend.points[dataIndex];
  if (!point) return null;
  const start = new Date(point.bucket);
  const end = new Date(start);
  if (trend.interval === 'MONTH') end.setUTCMonth(end.getUTCMonth() + 1);
  else end.setTime(start.getTime() + { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000 }[trend.interval]);
  const from = Math.max(start.getTime(), Date.parse(trend.range.from));
  const to = Math.min(end.getTime(), Date.parse(trend.range.to));
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
