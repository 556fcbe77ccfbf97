import { describe, expect, it } from 'vitest';

import { baseOption, escapeHtml, gappedLineData, labelWidth, measureColor, sideCategoryAxis, tooltipHtml } from './chartStyle';
import { LIGHT_CHART_THEME, readChartTheme } from './chartTheme';

describe('tooltips', () => {
  it('escape names that come from clients, in the heading and in every row', () => {
    expect(escapeHtml(`<b title="x">&'</b>`)).toBe('&lt;b title=&quot;x&quot;&gt;&amp;&#39;&lt;/b&gt;');
    const html = tooltipHtml('<script>', [{ color: '#fff', label: '<img>', value: '1 < 2' }]);
    expect(html).not.toMatch(/<script>|<img>/);
    expect(html).toContain('1 &lt; 2');
  });
});

describe('sideCategoryAxis', () => {
  it('leaves room for the longest label, wider for CJK, and cuts names beyond 150 px', () => {
    expect(labelWidth('gpt-4o')).toBeLessThan(labelWidth('智能客服'));
    const short = sideCategoryAxis(LIGHT_CHART_THEME, ['gpt-4o', 'qwen-max']);
    expect(short.grid.left).toBe(labelWidth('qwen-max') + 14);
    const long = sideCategoryAxis(LIGHT_CHART_THEME, ['a-very-long-application-name-from-a-client']);
    expect(long.yAxis.axisLabel).toMatchObject({ width: 150, overflow: 'truncate' });
    expect(long.grid.left).toBe(162);
  });
});

describe('the chart theme', () => {
  it('reads the page’s colours and font, falling back to the light theme for what it cannot read', () => {
    const style = {
      getPropertyValue: (name: string) => ({ '--ok': ' #3ccb8a ', '--chart-2': '#2dd4bf', 'font-family': 'Inter, sans-serif' })[name] ?? '',
    };
    const theme = readChartTheme(style);
    expect(theme.ok).toBe('#3ccb8a');
    expect(theme.fontFamily).toBe('Inter, sans-serif');
    expect(theme.series.slice(0, 2)).toEqual([LIGHT_CHART_THEME.series[0], '#2dd4bf']);
    expect(measureColor(theme, 'outputTokens')).toBe('#2dd4bf');
    expect(measureColor(theme, 'success')).toBe('#3ccb8a');
  });

  it('turns animations off for a viewer who asked for reduced motion', () => {
    const style = { getPropertyValue: () => '' };
    expect(baseOption(readChartTheme(style)).animation).toBe(true);
    expect(baseOption(readChartTheme(style, true)).animation).toBe(false);
  });
});

describe('gappedLineData', () => {
  it('draws a value between two gaps as a dot and no other symbol', () => {
    expect(gappedLineData([1, 2, 3, 4, 5], [null, 4, null, 6, 7], 6)).toEqual([
      { value: [1, null], symbolSize: 0 },
      { value: [2, 4], symbolSize: 6 },
      { value: [3, null], symbolSize: 0 },
      { value: [4, 6], symbolSize: 0 },
      { value: [5, 7], symbolSize: 0 },
    ]);
  });
});
