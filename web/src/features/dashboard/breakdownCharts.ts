import { moneyTick, type ChartLocale } from '../../components/charts/axisFormat';
import { baseOption, measureColor, sideCategoryAxis, tooltipHtml, valueAxis, type Measure } from '../../components/charts/chartStyle';
import type { ChartTheme } from '../../components/charts/chartTheme';
import type { ChartOption } from '../../components/charts/echarts';
import { formatCompact, formatDecimalNumber, formatDuration, formatInteger, formatMoney, formatPercent } from '../../format';
import type { GroupFieldsFragment } from '../../graphql/generated/operations';
import { COST_CURRENCY } from './trendCharts';

/** What a comparison of models or apps ranks them by. */
export const BREAKDOWN_METRICS = ['requests', 'p95', 'ttftP95', 'throughput', 'cost', 'errorRate'] as const;
export type BreakdownMetric = (typeof BREAKDOWN_METRICS)[number];

export interface BreakdownWords {
  metrics: Record<BreakdownMetric, string>;
  /** The name of the group that sums everything beyond the largest ones. */
  others: string;
  /** The name of a group without a key (calls without a user). */
  none: string;
}

const MEASURE: Record<BreakdownMetric, Measure> = {
  requests: 'requests',
  p95: 'p95',
  ttftP95: 'p50',
  throughput: 'outputTokens',
  cost: 'cost',
  errorRate: 'error',
};

function valueOf(group: GroupFieldsFragment, metric: BreakdownMetric): number | null {
  if (metric === 'requests') return group.requestCount;
  if (metric === 'p95') return group.latencyP95;
  if (metric === 'ttftP95') return group.ttftP95;
  if (metric === 'throughput') return group.outputTokensPerSecond;
  if (metric === 'cost') return Number(group.totalCost);
  return group.errorRate;
}

function formatterFor(metric: BreakdownMetric, where: ChartLocale, short: boolean): (value: number) => string {
  if (metric === 'requests') return (value) => (short ? formatCompact(value, where.locale) : formatInteger(value, where.locale));
  if (metric === 'p95' || metric === 'ttftP95') return (value) => formatDuration(value, where.locale);
  if (metric === 'throughput') return (value) => formatDecimalNumber(value, where.locale);
  if (metric === 'cost') return (value) => moneyTick(value, COST_CURRENCY, where.locale);
  return (value) => formatPercent(value, where.locale);
}

/** Groups ranked by one metric, largest on top; the "others" group, when there is one, stays last. */
export function rankGroups(groups: readonly GroupFieldsFragment[], metric: BreakdownMetric): GroupFieldsFragment[] {
  const named = groups.filter((group) => !group.remainder);
  const rest = groups.filter((group) => group.remainder);
  return [...named.sort((a, b) => (valueOf(b, metric) ?? -1) - (valueOf(a, metric) ?? -1)), ...rest];
}

/** The group behind the bar at `dataIndex` of breakdownOption's chart; undefined for "others" and out of range. */
export function breakdownKeyAt(
  groups: readonly GroupFieldsFragment[],
  metric: BreakdownMetric,
  dataIndex: number,
): string | null | undefined {
  const group = rankGroups(groups, metric).reverse()[dataIndex];
  return !group || group.remainder ? undefined : (group.key ?? null);
}

/**
 * Models or apps side by side on one metric, as horizontal bars with their values; the tooltip
 * shows every metric of the group (cost as the exact decimal).
 */
export function breakdownOption(
  groups: readonly GroupFieldsFragment[],
  metric: BreakdownMetric,
  theme: ChartTheme,
  where: ChartLocale,
  words: BreakdownWords,
): ChartOption {
  const ranked = rankGroups(groups, metric).reverse();
  const names = ranked.map((group) => (group.remainder ? words.others : (group.key ?? words.none)));
  const side = sideCategoryAxis(theme, names);
  const format = formatterFor(metric, where, true);
  const color = measureColor(theme, MEASURE[metric]);
  const base = baseOption(theme);
  return {
    ...base,
    legend: { show: false },
    grid: { ...side.grid, top: 4, right: 56 },
    tooltip: {
      ...base.tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const index = (params as Array<{ dataIndex: number }>)[0]!.dataIndex;
        const group = ranked[index]!;
        return tooltipHtml(names[index]!, [
          { color: measureColor(theme, 'requests'), label: words.metrics.requests, value: formatInteger(group.requestCount, where.locale) },
          { color: measureColor(theme, 'p95'), label: words.metrics.p95, value: formatDuration(group.latencyP95, where.locale) },
          { color: measureColor(theme, 'p50'), label: words.metrics.ttftP95, value: formatDuration(group.ttftP95, where.locale) },
          {
            color: measureColor(theme, 'outputTokens'),
            label: words.metrics.throughput,
            value: formatDecimalNumber(group.outputTokensPerSecond, where.locale),
          },
          {
            color: measureColor(theme, 'cost'),
            label: words.metrics.cost,
            value: formatMoney(group.totalCost, COST_CURRENCY, where.locale),
          },
          { color: measureColor(theme, 'error'), label: words.metrics.errorRate, value: formatPercent(group.errorRate, where.locale) },
        ]);
      },
    },
    xAxis: { ...valueAxis(theme, format, { min: 0, ...(metric === 'requests' ? { minInterval: 1 } : {}) }), axisLabel: { show: false } },
    yAxis: side.yAxis,
    series: [
      {
        name: words.metrics[metric],
        type: 'bar',
        data: ranked.map((group) => ({ value: valueOf(group, metric), itemStyle: { color, opacity: group.remainder ? 0.45 : 1 } })),
        barMaxWidth: 16,
        itemStyle: { borderRadius: [0, 3, 3, 0] },
        label: {
          show: true,
          position: 'right',
          color: theme.muted,
          fontSize: 11,
          formatter: (params) => (params.value == null ? '—' : format(params.value as number)),
        },
      },
    ],
  };
}

/** Successful and failed calls as a ring; the page writes the success rate in its middle. */
export function outcomeOption(
  successCount: number,
  errorCount: number,
  theme: ChartTheme,
  where: ChartLocale,
  words: { success: string; error: string },
): ChartOption {
  const base = baseOption(theme);
  const total = successCount + errorCount;
  return {
    ...base,
    legend: { ...base.legend, top: undefined, bottom: 0, left: 'center' },
    tooltip: {
      ...base.tooltip,
      trigger: 'item',
      formatter: (params) => {
        const item = params as { name: string; value: number; color: string };
        return tooltipHtml(item.name, [
          {
            color: item.color,
            label: formatInteger(item.value, where.locale),
            value: formatPercent(total ? item.value / total : null, where.locale),
          },
        ]);
      },
    },
    series: [
      {
        type: 'pie',
        radius: ['58%', '80%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: theme.surface, borderWidth: 2 },
        data: [
          { name: words.success, value: successCount, itemStyle: { color: theme.ok } },
          { name: words.error, value: errorCount, itemStyle: { color: theme.error } },
        ],
      },
    ],
  };
}
