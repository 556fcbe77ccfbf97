import { bucketLabel, timeTickLabel, type ChartLocale } from '../../components/charts/axisFormat';
import { baseOption, gappedLineData, timeAxis, tooltipHtml, valueAxis } from '../../components/charts/chartStyle';
import type { ChartTheme } from '../../components/charts/chartTheme';
import type { ChartOption } from '../../components/charts/echarts';
import { formatInteger } from '../../format';
import type { AlertMetric } from '../../graphql/generated/operations';
import { formatMetricValue } from './alertUnits';
import type { AlertPreview } from './useAlertRuleChanges';

/** The translated words of the preview chart. */
export interface PreviewWords {
  value: string;
  threshold: string;
  breaching: string;
  samples: string;
}

type Tooltip = Array<{ dataIndex: number }>;

/**
 * The rule replayed over a past range: the metric at each evaluated instant (gaps where nothing was
 * measured), the threshold as a dashed line, and red points where the rule breached.
 */
export function previewOption(
  preview: AlertPreview,
  rule: { metric: AlertMetric; threshold: string },
  range: { from: string; to: string },
  theme: ChartTheme,
  where: ChartLocale,
  words: PreviewWords,
): ChartOption {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const times = preview.points.map((point) => Date.parse(point.at));
  const value = (amount: string | number | null) => formatMetricValue(rule.metric, amount == null ? null : String(amount), where.locale);
  const base = baseOption(theme);
  return {
    ...base,
    // It is redrawn as the rule is typed: without animation, so what it shows is at once what holds.
    animation: false,
    tooltip: {
      ...base.tooltip,
      trigger: 'axis',
      formatter: (params) => {
        const point = preview.points[(params as Tooltip)[0]!.dataIndex]!;
        return tooltipHtml(bucketLabel(point.at, 'MINUTE', where.locale, where.timeZone), [
          { color: point.breaching ? theme.error : theme.series[0], label: words.value, value: value(point.value) },
          { color: theme.muted, label: words.threshold, value: value(rule.threshold) },
          { label: words.samples, value: formatInteger(point.samples, where.locale) },
          ...(point.breaching ? [{ color: theme.error, label: words.breaching, value: '✓' }] : []),
        ]);
      },
    },
    xAxis: timeAxis(theme, { from, to }, (ms) => timeTickLabel(ms, to - from, where.locale, where.timeZone)),
    yAxis: valueAxis(theme, (amount) => value(amount), { min: 0 }),
    series: [
      {
        name: words.value,
        type: 'line',
        data: gappedLineData(
          times,
          preview.points.map((point) => (point.value == null ? null : Number(point.value))),
        ),
        showSymbol: true,
        lineStyle: { width: 2, color: theme.series[0] },
        itemStyle: { color: theme.series[0] },
        connectNulls: false,
      },
      {
        name: words.threshold,
        type: 'line',
        data: [
          [from, Number(rule.threshold)],
          [to, Number(rule.threshold)],
        ],
        showSymbol: false,
        silent: true,
        lineStyle: { width: 1.5, type: 'dashed', color: theme.muted },
        itemStyle: { color: theme.muted },
      },
      {
        name: words.breaching,
        type: 'line',
        data: preview.points.map((point, i) => ({
          value: [times[i]!, point.breaching && point.value != null ? Number(point.value) : null] as [number, number | null],
          symbolSize: point.breaching ? 7 : 0,
        })),
        symbol: 'circle',
        showSymbol: true,
        lineStyle: { width: 0 },
        itemStyle: { color: theme.error },
      },
    ],
  };
}
