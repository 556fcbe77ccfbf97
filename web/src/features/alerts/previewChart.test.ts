import { describe, expect, it } from 'vitest';

import { LIGHT_CHART_THEME } from '../../components/charts/chartTheme';
import { previewOption, type PreviewWords } from './previewChart';
import type { AlertPreview } from './useAlertRuleChanges';

const words: PreviewWords = { value: 'Value', threshold: 'Threshold', breaching: 'Breaching', samples: 'Samples' };
const where = { locale: 'en', timeZone: 'UTC' };
const range = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-25T03:00:00.000Z' };
const preview: AlertPreview = {
  wouldFire: true,
  stepSeconds: 3600,
  firings: [{ firedAt: '2026-11-25T02:00:00.000Z', resolvedAt: '2026-11-25T03:00:00.000Z', value: '0.35' }],
  points: [
    { at: '2026-11-25T01:00:00.000Z', value: null, samples: 0, breaching: false },
    { at: '2026-11-25T02:00:00.000Z', value: '0.35', samples: 40, breaching: true },
    { at: '2026-11-25T03:00:00.000Z', value: '0.05', samples: 38, breaching: false },
  ],
};
type Series = Array<{ name: string; data: Array<{ value: [number, number | null]; symbolSize: number } | [number, number]> }>;

describe('previewOption', () => {
  const option = previewOption(preview, { metric: 'ERROR_RATE', threshold: '0.2' }, range, LIGHT_CHART_THEME, where, words);
  const series = option.series as unknown as Series;

  it('draws the value with gaps, the threshold across the range, and the breaching points', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(series.map((s) => s.name)).toEqual(['Value', 'Threshold', 'Breaching']);
    expect(series[0]!.data).toEqual([
      { value: [at('2026-11-25T01:00:00.000Z'), null], symbolSize: 0 },
      { value: [at('2026-11-25T02:00:00.000Z'), 0.35], symbolSize: 0 },
      { value: [at('2026-11-25T03:00:00.000Z'), 0.05], symbolSize: 0 },
    ]);
    expect(series[1]!.data).toEqual([
      [at(range.from), 0.2],
      [at(range.to), 0.2],
    ]);
    expect(series[2]!.data).toEqual([
      { value: [at('2026-11-25T01:00:00.000Z'), null], symbolSize: 0 },
      { value: [at('2026-11-25T02:00:00.000Z'), 0.35], symbolSize: 7 },
      { value: [at('2026-11-25T03:00:00.000Z'), null], symbolSize: 0 },
    ]);
  });

  it('labels the axis and the tooltip in the metric’s unit', () => {
    const axis = option.yAxis as { axisLabel: { formatter: (v: number) => string } };
    expect(axis.axisLabel.formatter(0.25)).toBe('25%');
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 1 }]);
    expect(tooltip).toContain('35%');
    expect(tooltip).toContain('20%');
    expect(tooltip).toContain('Breaching');
    expect(tooltip).toContain('40');
  });
});
