import { describe, expect, it } from 'vitest';

import { LIGHT_CHART_THEME } from '../../components/charts/chartTheme';
import { feedbackGroupOption, feedbackTrendOption, MAX_GROUPS, type FeedbackChartWords } from './feedbackCharts';

const words: FeedbackChartWords = {
  positive: 'Positive',
  negative: 'Negative',
  negativeRate: 'Negative rate',
  averageScore: 'Average score',
  none: 'No category',
};
const where = { locale: 'en', timeZone: 'Asia/Shanghai' };
const group = (key: string | null, positiveCount: number, negativeCount: number) => ({
  key,
  positiveCount,
  negativeCount,
  totalCount: positiveCount + negativeCount,
  negativeRate: negativeCount / (positiveCount + negativeCount),
  averageScore: 3.25,
});
const tooltip = (option: ReturnType<typeof feedbackGroupOption>, dataIndex: number) =>
  (option.tooltip as { formatter: (params: unknown) => string }).formatter([{ dataIndex }]);

describe('feedbackGroupOption', () => {
  it('draws the largest groups on top, positive and negative stacked, and names the group without a key', () => {
    const option = feedbackGroupOption(
      [group('wrong answer', 1, 9), group(null, 5, 0), group('too slow', 0, 3)],
      LIGHT_CHART_THEME,
      where,
      words,
    );
    expect((option.yAxis as { data: string[] }).data).toEqual(['too slow', 'No category', 'wrong answer']);
    const series = option.series as Array<{ name: string; data: number[]; stack: string }>;
    expect(series.map((s) => [s.name, s.data, s.stack])).toEqual([
      ['Positive', [0, 5, 1], 'rating'],
      ['Negative', [3, 0, 9], 'rating'],
    ]);
    const text = tooltip(option, 2);
    expect(text).toContain('wrong answer');
    expect(text).toContain('90%');
    expect(text).toContain('3.3');
  });

  it('keeps to the largest groups and never lets a name become markup in the tooltip', () => {
    const many = Array.from({ length: 12 }, (_, i) => group(`app-${i}`, 12 - i, 0));
    expect((feedbackGroupOption(many, LIGHT_CHART_THEME, where, words).yAxis as { data: string[] }).data).toHaveLength(MAX_GROUPS);
    const hostile = feedbackGroupOption([group('<img src=x onerror=alert(1)>', 1, 1)], LIGHT_CHART_THEME, where, words);
    expect(tooltip(hostile, 0)).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(tooltip(hostile, 0)).not.toContain('<img');
  });
});

describe('feedbackTrendOption', () => {
  it('labels hourly buckets in the viewer’s zone and daily buckets as UTC dates', () => {
    const point = (bucket: string, positiveCount: number, negativeCount: number) => ({
      bucket,
      positiveCount,
      negativeCount,
      totalCount: positiveCount + negativeCount,
      negativeRate: null,
    });
    const hourly = feedbackTrendOption(
      [point('2026-03-01T13:00:00Z', 2, 1), point('2026-03-01T14:00:00Z', 0, 0)],
      'HOUR',
      LIGHT_CHART_THEME,
      where,
      words,
    );
    expect((hourly.xAxis as { data: string[] }).data).toEqual(['21:00', '22:00']);
    const daily = feedbackTrendOption(
      [point('2026-03-01T00:00:00Z', 2, 1), point('2026-03-02T00:00:00Z', 4, 0)],
      'DAY',
      LIGHT_CHART_THEME,
      where,
      words,
    );
    expect((daily.xAxis as { data: string[] }).data).toEqual(['Mar 1', 'Mar 2']);
    expect(tooltip(daily, 1)).toContain('Mon, Mar 2');
  });
});
