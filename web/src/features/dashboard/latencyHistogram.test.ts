import { describe, expect, it } from 'vitest';

import { LIGHT_CHART_THEME } from '../../components/charts/chartTheme';
import { barLabel, barOf, latencyHistogramOption, type LatencyBar } from './latencyHistogram';

const bars: LatencyBar[] = [
  { lowerMs: 0, upperMs: 50, count: 2 },
  { lowerMs: 50, upperMs: 100, count: 5 },
  { lowerMs: 100, upperMs: 1000, count: 2 },
  { lowerMs: 1000, upperMs: null, count: 1 },
];
const words = { calls: 'Calls', share: 'Share', p50: 'P50', p95: 'P95' };
const where = { locale: 'en', timeZone: 'UTC' };

describe('latency histogram', () => {
  it('finds the bar of a latency and names bars by their bounds', () => {
    expect(barOf(bars, 75)).toBe(1);
    expect(barOf(bars, 100)).toBe(2);
    expect(barOf(bars, 120_000)).toBe(3);
    expect(barOf(bars, null)).toBe(-1);
    expect(barLabel(bars[1]!, 'en')).toBe('50 ms–100 ms');
    expect(barLabel(bars[3]!, 'en')).toBe('≥ 1 sec');
  });

  it('colours the bars holding P50 and P95 and gives each bar its calls and share', () => {
    const option = latencyHistogramOption(bars, { p50: 80, p95: 1500 }, LIGHT_CHART_THEME, where, words);
    const data = (option.series as Array<{ data: Array<{ value: number; itemStyle: { color: string } }> }>)[0]!.data;
    expect(data.map((point) => point.value)).toEqual([2, 5, 2, 1]);
    const colours = data.map((point) => point.itemStyle.color);
    expect(colours[1]).not.toBe(colours[0]);
    expect(colours[3]).not.toBe(colours[0]);
    expect(colours[2]).toBe(colours[0]);
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 1 }]);
    expect(tooltip).toContain('50 ms–100 ms (P50)');
    expect(tooltip).toContain('50%');
  });
});
