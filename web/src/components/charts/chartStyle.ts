import type { ChartTheme } from './chartTheme';
import type { ChartOption } from './echarts';

/**
 * The colour of each measure on every chart of the app, so P95 or output tokens look the same
 * wherever they appear. Indexes into ChartTheme.series.
 */
const MEASURE_SERIES = { requests: 0, p50: 4, p95: 0, p99: 3, inputTokens: 0, outputTokens: 1, cost: 2 } as const;
export type Measure = keyof typeof MEASURE_SERIES | 'success' | 'error';

export function measureColor(theme: ChartTheme, measure: Measure): string {
  if (measure === 'success') return theme.ok;
  if (measure === 'error') return theme.error;
  return theme.series[MEASURE_SERIES[measure]]!;
}

/** Text for HTML tooltips: app, model and category names come from clients and must not be markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface TooltipRow {
  color?: string;
  label: string;
  value: string;
}

/** A tooltip: a heading, then one line per series with its colour, name and formatted value. */
export function tooltipHtml(title: string, rows: readonly TooltipRow[]): string {
  const lines = rows.map(
    (row) =>
      `<div style="display:flex;align-items:center;gap:8px;justify-content:space-between;min-width:160px">` +
      `<span style="display:inline-flex;align-items:center;gap:6px">` +
      (row.color ? `<span style="width:8px;height:8px;border-radius:2px;background:${row.color}"></span>` : '') +
      `${escapeHtml(row.label)}</span><strong style="font-variant-numeric:tabular-nums">${escapeHtml(row.value)}</strong></div>`,
  );
  return `<div style="font-weight:600;margin-bottom:4px">${escapeHtml(title)}</div>${lines.join('')}`;
}

/** What every chart shares: transparent background, the page's font and colours, a quiet tooltip and legend. */
export function baseOption(theme: ChartTheme): ChartOption {
  return {
    backgroundColor: 'transparent',
    color: theme.series,
    textStyle: { fontFamily: theme.fontFamily, color: theme.muted, fontSize: 12 },
    animation: theme.animate,
    animationDuration: 300,
    animationDurationUpdate: 300,
    tooltip: {
      backgroundColor: theme.surface,
      borderColor: theme.border,
      borderWidth: 1,
      padding: [8, 10],
      textStyle: { color: theme.text, fontSize: 12 },
      extraCssText: 'box-shadow:0 6px 20px rgb(0 0 0 / 18%);border-radius:8px;',
      confine: true,
    },
    legend: {
      top: 0,
      left: 0,
      icon: 'roundRect',
      itemWidth: 10,
      itemHeight: 10,
      itemGap: 14,
      textStyle: { color: theme.muted, fontSize: 12 },
    },
    grid: { left: 4, right: 8, top: 36, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
  };
}

type Formatter = (value: number) => string;

/** A value axis with a dashed grid, labels in the locale's format (units included) and no line of its own. */
export function valueAxis(theme: ChartTheme, format: Formatter, extra: { max?: number; min?: number; minInterval?: number } = {}) {
  return {
    type: 'value' as const,
    ...extra,
    axisLabel: { color: theme.muted, formatter: (value: number) => format(value), hideOverlap: true },
    splitLine: { lineStyle: { color: theme.border, type: 'dashed' as const } },
    axisLine: { show: false },
    axisTick: { show: false },
  };
}

/** A time axis from `from` to `to`, labelled by `format` (see axisFormat.ts). */
export function timeAxis(theme: ChartTheme, range: { from: number; to: number }, format: Formatter) {
  return {
    type: 'time' as const,
    min: range.from,
    max: range.to,
    axisLabel: { color: theme.muted, formatter: (value: number) => format(value), hideOverlap: true },
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { show: false },
    splitLine: { show: false },
  };
}

/**
 * The points of a line that leaves a gap where there is no value. A point between two gaps has no
 * line to show it, so it is drawn as a dot; the others have no symbol. Use with `showSymbol: true`.
 */
export function gappedLineData(times: readonly number[], values: ReadonlyArray<number | null>, dotSize = 5) {
  return values.map((value, index) => ({
    value: [times[index]!, value] as [number, number | null],
    symbolSize: value != null && values[index - 1] == null && values[index + 1] == null ? dotSize : 0,
  }));
}

const LABEL_MAX_PX = 150;

let measuring: CanvasRenderingContext2D | null | undefined;

/**
 * How wide a 12 px label is drawn in `fontFamily`: measured on a canvas where there is one, else
 * estimated (CJK characters take a full em, Latin ones a little over half).
 */
export function labelWidth(text: string, fontFamily?: string): number {
  if (measuring === undefined)
    measuring = typeof document === 'undefined' ? null : (document.createElement('canvas').getContext?.('2d') ?? null);
  if (measuring && fontFamily) {
    measuring.font = `12px ${fontFamily}`;
    return Math.ceil(measuring.measureText(text).width);
  }
  let width = 0;
  for (const char of text) width += char.codePointAt(0)! >= 0x2e80 ? 12 : 7;
  return Math.ceil(width);
}

/**
 * A category axis for the side of a horizontal bar chart (models, apps, categories), with the room
 * its labels need: names longer than 150 px are cut with an ellipsis. ECharts' own fitting of
 * labels into the grid does not measure truncated labels, so the room is set here.
 */
export function sideCategoryAxis(theme: ChartTheme, labels: readonly string[]) {
  const width = Math.min(LABEL_MAX_PX, Math.max(24, ...labels.map((label) => labelWidth(label, theme.fontFamily) + 2)));
  return {
    grid: { left: width + 12, right: 16, top: 36, bottom: 24, outerBoundsMode: 'none' as const },
    yAxis: {
      type: 'category' as const,
      data: [...labels],
      axisLabel: { color: theme.text, width, overflow: 'truncate' as const },
      axisLine: { lineStyle: { color: theme.border } },
      axisTick: { show: false },
    },
  };
}

/** A category axis along the bottom (time buckets already formatted as labels). */
export function bottomCategoryAxis(theme: ChartTheme, labels: readonly string[]) {
  return {
    type: 'category' as const,
    data: [...labels],
    axisLabel: { color: theme.muted, hideOverlap: true },
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { show: false },
  };
}
