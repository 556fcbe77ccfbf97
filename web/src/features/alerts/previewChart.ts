import { bucketLabel, timeTickLabel, type ChartLocale } from '../../components/charts/axisFormat';
import { baseOption, gappedLineData, timeAxis, tooltipHtml, valueAxis } from '../../components/charts/chartStyle';
import type { ChartTheme } from '../../components/charts/chartTheme';
import type { ChartOption } from '../../components/charts/echarts';
import { formatInteger } from '../../format';
import type { AlertMetric, AlertRuleKind } from '../../graphql/generated/operations';
import { formatMetricValue } from './alertUnits';
import type { AlertPreview } from './useAlertRuleChanges';

/** The translated words of the preview chart. */
export interface PreviewWords {
  value: string;
  threshold: string;
  breaching: string;
  samples: string;
  forecast: string;
  usual: string;
  band: string;
}

type Tooltip = Array<{ dataIndex: number }>;
type TooltipRows = (point: AlertPreview['points'][number]) => Array<{ color?: string; label: string; value: string }>;

/**
 * The rule replayed over a past range: the metric at each evaluated instant (gaps where nothing was
 * measured), the threshold as a dashed line, and red points where the rule breached. A BUDGET rule
 * shows the spend, its forecast for the period's end and the budget; an ANOMALY rule shows its value
 * in the baseline band (median ± k deviations) with the median, instead of a threshold.
 */
export function previewOption(
  preview: AlertPreview,
  rule: { metric: AlertMetric; threshold: string; kind?: AlertRuleKind },
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
  const anomaly = rule.kind === 'ANOMALY';
  const numbers = (pick: (point: AlertPreview['points'][number]) => string | null) =>
    preview.points.map((point) => (pick(point) == null ? null : Number(pick(point))));
  const extra: TooltipRows = (point) => [
    ...(point.forecast != null ? [{ color: theme.series[2], label: words.forecast, value: value(point.forecast) }] : []),
    ...(point.expected != null ? [{ color: theme.muted, label: words.usual, value: value(point.expected) }] : []),
    ...(point.lower != null && point.upper != null
      ? [{ color: theme.muted, label: words.band, value: `${value(Math.max(0, Number(point.lower)))} – ${value(point.upper)}` }]
      : []),
  ];
  const kindSeries = anomaly
    ? [
        // The band as a stack: an invisible base at the lower edge, then the band's height above it.
        {
          name: `${words.band} (low)`,
          type: 'line' as const,
          stack: 'band',
          data: gappedLineData(
            times,
            numbers((point) => point.lower),
          ),
          showSymbol: false,
          silent: true,
          lineStyle: { width: 0 },
          connectNulls: false,
        },
        {
          name: words.band,
          type: 'line' as const,
          stack: 'band',
          data: gappedLineData(
            times,
            preview.points.map((point) => (point.lower == null || point.upper == null ? null : Number(point.upper) - Number(point.lower))),
          ),
          showSymbol: false,
          silent: true,
          lineStyle: { width: 0 },
          areaStyle: { color: theme.muted, opacity: 0.18 },
          connectNulls: false,
        },
        {
          name: words.usual,
          type: 'line' as const,
          data: gappedLineData(
            times,
            numbers((point) => point.expected),
          ),
          showSymbol: false,
          silent: true,
          lineStyle: { width: 1.25, type: 'dashed' as const, color: theme.muted },
          itemStyle: { color: theme.muted },
          connectNulls: false,
        },
      ]
    : preview.points.some((point) => point.forecast != null)
      ? [
          {
            name: words.forecast,
            type: 'line' as const,
            data: gappedLineData(
              times,
              numbers((point) => point.forecast),
            ),
            showSymbol: false,
            lineStyle: { width: 1.75, type: 'dashed' as const, color: theme.series[2] },
            itemStyle: { color: theme.series[2] },
            connectNulls: false,
          },
        ]
      : [];
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
          ...(anomaly ? [] : [{ color: theme.muted, label: words.threshold, value: value(rule.threshold) }]),
          ...extra(point),
          { label: words.samples, value: formatInteger(point.samples, where.locale) },
          ...(point.breaching ? [{ color: theme.error, label: words.breaching, value: '✓' }] : []),
        ]);
      },
    },
    xAxis: timeAxis(theme, { from, to }, (ms) => timeTickLabel(ms, to - from, where.locale, where.timeZone)),
    yAxis: valueAxis(theme, (amount) => value(amount), anomaly ? {} : { min: 0 }),
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
      ...kindSeries,
      ...(anomaly
        ? []
        : [
            {
              name: words.threshold,
              type: 'line' as const,
              data: [
                [from, Number(rule.threshold)],
                [to, Number(rule.threshold)],
              ],
              showSymbol: false,
              silent: true,
              lineStyle: { width: 1.5, type: 'dashed' as const, color: theme.muted },
              itemStyle: { color: theme.muted },
            },
          ]),
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
