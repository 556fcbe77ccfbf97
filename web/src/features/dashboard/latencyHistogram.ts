import type { ChartLocale } from '../../components/charts/axisFormat';
import { baseOption, bottomCategoryAxis, measureColor, tooltipHtml, valueAxis } from '../../components/charts/chartStyle';
import type { ChartTheme } from '../../components/charts/chartTheme';
import type { ChartOption } from '../../components/charts/echarts';
import { formatCompact, formatDuration, formatInteger, formatPercent } from '../../format';
import type { DashboardQuery } from '../../graphql/generated/operations';

export type LatencyBar = DashboardQuery['histogram'][number];

/** The translated words of the histogram. */
export interface HistogramWords {
  calls: string;
  share: string;
  p50: string;
  p95: string;
}

/** "100–200 ms", "1–1.5 sec", "≥ 1 min": a bar's latencies in the viewer's locale. */
export function barLabel(bar: LatencyBar, locale: string): string {
  if (bar.upperMs === null) return `≥ ${formatDuration(bar.lowerMs, locale)}`;
  return `${formatDuration(bar.lowerMs, locale)}–${formatDuration(bar.upperMs, locale)}`;
}

/** The index of the bar holding a latency, or -1. */
export function barOf(bars: readonly LatencyBar[], ms: number | null | undefined): number {
  if (ms == null) return -1;
  return bars.findIndex((bar) => ms >= bar.lowerMs && (bar.upperMs === null || ms < bar.upperMs));
}

/**
 * Calls per latency bar (log-spaced, so a long tail stays readable); the bars holding P50 and P95 are
 * drawn in their colours, and the tooltip gives each bar's calls and share.
 */
export function latencyHistogramOption(
  bars: readonly LatencyBar[],
  percentiles: { p50: number | null; p95: number | null },
  theme: ChartTheme,
  where: ChartLocale,
  words: HistogramWords,
): ChartOption {
  const total = bars.reduce((sum, bar) => sum + bar.count, 0);
  const p50 = barOf(bars, percentiles.p50);
  const p95 = barOf(bars, percentiles.p95);
  const colour = (index: number) =>
    index === p95 ? measureColor(theme, 'p95') : index === p50 ? measureColor(theme, 'p50') : (theme.series[7] ?? theme.muted);
  const base = baseOption(theme);
  return {
    ...base,
    legend: { show: false },
    grid: { ...base.grid, top: 12 },
    tooltip: {
      ...base.tooltip,
      trigger: 'axis',
      formatter: (params) => {
        const index = (params as Array<{ dataIndex: number }>)[0]!.dataIndex;
        const bar = bars[index]!;
        const marks = [index === p50 ? words.p50 : null, index === p95 ? words.p95 : null].filter(Boolean).join(', ');
        return tooltipHtml(`${barLabel(bar, where.locale)}${marks ? ` (${marks})` : ''}`, [
          { color: colour(index), label: words.calls, value: formatInteger(bar.count, where.locale) },
          { label: words.share, value: formatPercent(total ? bar.count / total : null, where.locale) },
        ]);
      },
    },
    xAxis: bottomCategoryAxis(
      theme,
      bars.map((bar) =>
        bar.upperMs === null ? `≥${formatDuration(bar.lowerMs, where.locale)}` : formatDuration(bar.lowerMs, where.locale),
      ),
    ),
    yAxis: valueAxis(theme, (value) => formatCompact(value, where.locale), { min: 0, minInterval: 1 }),
    series: [
      {
        name: words.calls,
        type: 'bar',
        data: bars.map((bar, index) => ({ value: bar.count, itemStyle: { color: colour(index), borderRadius: [2, 2, 0, 0] } })),
        barCategoryGap: '12%',
      },
    ],
  };
}
