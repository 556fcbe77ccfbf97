import { describe, expect, it } from 'vitest';

import { LIGHT_CHART_THEME } from '../../components/charts/chartTheme';
import type { GroupFieldsFragment } from '../../graphql/generated/operations';
import { breakdownKeyAt, breakdownOption, outcomeOption, rankGroups, type BreakdownWords } from './breakdownCharts';

const words: BreakdownWords = {
  metrics: { requests: 'Requests', p95: 'P95', ttftP95: 'TTFT P95', throughput: 'Tokens/s', cost: 'Cost', errorRate: 'Error rate' },
  others: 'Others',
  none: 'No user',
};
const where = { locale: 'en', timeZone: 'UTC' };
const group = (
  key: string | null,
  requestCount: number,
  latencyP95: number,
  totalCost: string,
  errorRate: number,
  remainder = false,
  ttftP95: number | null = null,
  outputTokensPerSecond: number | null = null,
): GroupFieldsFragment => ({ key, remainder, requestCount, latencyP95, totalCost, errorRate, ttftP95, outputTokensPerSecond });
const groups = [
  group('gpt-4o', 500, 2400, '3.5', 0.01, false, 420, 75),
  group('deepseek-chat', 200, 6100, '0.42', 0.08, false, 900, 31),
  group(null, 900, 1000, '9', 0.02, true, 300, 90),
];

describe('rankGroups', () => {
  it('ranks by the chosen metric and keeps the others group last', () => {
    expect(rankGroups(groups, 'requests').map((g) => g.key ?? 'others')).toEqual(['gpt-4o', 'deepseek-chat', 'others']);
    expect(rankGroups(groups, 'p95').map((g) => g.key ?? 'others')).toEqual(['deepseek-chat', 'gpt-4o', 'others']);
    expect(rankGroups(groups, 'ttftP95').map((g) => g.key ?? 'others')).toEqual(['deepseek-chat', 'gpt-4o', 'others']);
    expect(rankGroups(groups, 'throughput').map((g) => g.key ?? 'others')).toEqual(['gpt-4o', 'deepseek-chat', 'others']);
  });
});

describe('breakdownOption', () => {
  it('draws the ranked groups top-down with their values, and every metric in the tooltip', () => {
    const option = breakdownOption(groups, 'errorRate', LIGHT_CHART_THEME, where, words);
    expect((option.yAxis as { data: string[] }).data).toEqual(['Others', 'gpt-4o', 'deepseek-chat']);
    const series = (option.series as Array<{ data: Array<{ value: number }>; label: { formatter: (p: { value: number }) => string } }>)[0]!;
    expect(series.data.map((d) => d.value)).toEqual([0.02, 0.01, 0.08]);
    expect(series.label.formatter({ value: 0.08 })).toBe('8%');
    const text = (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 2 }]);
    expect(text).toContain('deepseek-chat');
    expect(text).toContain('6.1 sec');
    expect(text).toContain('$0.42');
    expect(text).toContain('200');
  });
});

describe('breakdownKeyAt', () => {
  it('finds the group behind a clicked bar, in the chart’s bottom-up order, and nothing for the others bar', () => {
    const option = breakdownOption(groups, 'errorRate', LIGHT_CHART_THEME, where, words);
    const names = (option.yAxis as { data: string[] }).data;
    expect(names.map((_, index) => breakdownKeyAt(groups, 'errorRate', index))).toEqual([undefined, 'gpt-4o', 'deepseek-chat']);
    expect(breakdownKeyAt(groups, 'errorRate', 9)).toBeUndefined();
  });
});

describe('outcomeOption', () => {
  it('shows successes and errors in the page’s success and error colours', () => {
    const option = outcomeOption(95, 5, LIGHT_CHART_THEME, where, { success: 'Success', error: 'Error' });
    const data = (option.series as Array<{ data: Array<{ name: string; value: number; itemStyle: { color: string } }> }>)[0]!.data;
    expect(data).toEqual([
      { name: 'Success', value: 95, itemStyle: { color: LIGHT_CHART_THEME.ok } },
      { name: 'Error', value: 5, itemStyle: { color: LIGHT_CHART_THEME.error } },
    ]);
  });
});
