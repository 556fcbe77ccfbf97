import { bucketLabel, timeTickLabel, type ChartLocale } from '../../components/charts/axisFormat';
import { baseOption, bottomCategoryAxis, sideCategoryAxis, tooltipHtml, valueAxis } from '../../components/charts/chartStyle';
import type { ChartTheme } from '../../components/charts/chartTheme';
import type { ChartOption } from '../../components/charts/echarts';
import { formatInteger, formatPercent } from '../../format';
import type { FeedbackGroupFieldsFragment, FeedbackInterval, FeedbackStatsQuery } from '../../graphql/generated/operations';

export type FeedbackPoint = FeedbackStatsQuery['feedbackStats']['timeSeries'][number];

/** The translated words a feedback chart shows. */
export interface FeedbackChartWords {
  positive: string;
  negative: string;
  negativeRate: string;
  averageScore: string;
  /** The name of a group without a key (no category; for models: not linked to a log yet). */
  none: string;
}

/** At most this many groups are drawn; the list below the charts has the rest. */
export const MAX_GROUPS = 8;

type Tooltip = { dataIndex: number }[];

/**
 * Positive and negative feedback per bucket as stacked bars. Buckets are UTC hours or days, as the
 * API counts them; days are labelled as UTC dates so that a bar is never put on the wrong day.
 */
export function feedbackTrendOption(
  points: readonly FeedbackPoint[],
  interval: FeedbackInterval,
  theme: ChartTheme,
  where: ChartLocale,
  words: FeedbackChartWords,
): ChartOption {
  const zone = interval === 'DAY' ? 'UTC' : where.timeZone;
  const span = points.length > 1 ? Date.parse(points[points.length - 1]!.bucket) - Date.parse(points[0]!.bucket) : 0;
  const labels = points.map((point) =>
    timeTickLabel(Date.parse(point.bucket), interval === 'DAY' ? Math.max(span, 2 * 86_400_000) : span, where.locale, zone),
  );
  const count = (value: number) => formatInteger(value, where.locale);
  return {
    ...baseOption(theme),
    tooltip: {
      ...baseOption(theme).tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const point = points[(params as Tooltip)[0]!.dataIndex]!;
        return tooltipHtml(bucketLabel(point.bucket, interval, where.locale, zone), [
          { color: theme.ok, label: words.positive, value: count(point.positiveCount) },
          { color: theme.error, label: words.negative, value: count(point.negativeCount) },
          { label: words.negativeRate, value: formatPercent(point.negativeRate, where.locale) },
        ]);
      },
    },
    xAxis: bottomCategoryAxis(theme, labels),
    yAxis: valueAxis(theme, count, { min: 0, minInterval: 1 }),
    series: [
      {
        name: words.positive,
        type: 'bar',
        stack: 'rating',
        data: points.map((p) => p.positiveCount),
        itemStyle: { color: theme.ok },
        barMaxWidth: 28,
      },
      {
        name: words.negative,
        type: 'bar',
        stack: 'rating',
        data: points.map((p) => p.negativeCount),
        itemStyle: { color: theme.error, borderRadius: [3, 3, 0, 0] },
        barMaxWidth: 28,
      },
    ],
  };
}

/**
 * Feedback per category, model or app as horizontal stacked bars (largest on top), with the
 * negative rate and the average score in the tooltip.
 */
export function feedbackGroupOption(
  groups: readonly FeedbackGroupFieldsFragment[],
  theme: ChartTheme,
  where: ChartLocale,
  words: FeedbackChartWords,
): ChartOption {
  const shown = groups.slice(0, MAX_GROUPS).reverse();
  const names = shown.map((group) => group.key ?? words.none);
  const count = (value: number) => formatInteger(value, where.locale);
  const side = sideCategoryAxis(theme, names);
  return {
    ...baseOption(theme),
    grid: side.grid,
    tooltip: {
      ...baseOption(theme).tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const group = shown[(params as Tooltip)[0]!.dataIndex]!;
        return tooltipHtml(group.key ?? words.none, [
          { color: theme.ok, label: words.positive, value: count(group.positiveCount) },
          { color: theme.error, label: words.negative, value: count(group.negativeCount) },
          { label: words.negativeRate, value: formatPercent(group.negativeRate, where.locale) },
          {
            label: words.averageScore,
            value: group.averageScore == null ? '—' : group.averageScore.toLocaleString(where.locale, { maximumFractionDigits: 1 }),
          },
        ]);
      },
    },
    xAxis: valueAxis(theme, count, { min: 0, minInterval: 1 }),
    yAxis: side.yAxis,
    series: [
      {
        name: words.positive,
        type: 'bar',
        stack: 'rating',
        data: shown.map((g) => g.positiveCount),
        itemStyle: { color: theme.ok },
        barMaxWidth: 18,
      },
      {
        name: words.negative,
        type: 'bar',
        stack: 'rating',
        data: shown.map((g) => g.negativeCount),
        itemStyle: { color: theme.error, borderRadius: [0, 3, 3, 0] },
        barMaxWidth: 18,
      },
    ],
  };
}
