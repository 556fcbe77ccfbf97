import { describe, expect, it } from 'vitest';

import { LIGHT_CHART_THEME } from '../../components/charts/chartTheme';
import { previewOption, type PreviewWords } from './previewChart';
import type { AlertPreview } from './useAlertRuleChanges';

const words: PreviewWords = {
  value: 'Value',
  threshold: 'Threshold',
  breaching: 'Breaching',
  samples: 'Samples',
  forecast: 'Forecast',
  usual: 'Usual',
  band: 'Band',
};
const where = { locale: 'en', timeZone: 'UTC' };
const range = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-25T03:00:00.000Z' };
const preview: AlertPreview = {
  wouldFire: true,
  stepSeconds: 3600,
  firings: [{ firedAt: '2026-11-25T02:00:00.000Z', resolvedAt: '2026-11-25T03:00:00.000Z', value: '0.35', stage: null }],
  points: [
    { at: '2026-11-25T01:00:00.000Z', value: null, samples: 0, breaching: false, forecast: null, expected: null, lower: null, upper: null },
    {
      at: '2026-11-25T02:00:00.000Z',
      value: '0.35',
      samples: 40,
      breaching: true,
      forecast: null,
      expected: null,
      lower: null,
      upper: null,
    },
    {
      at: '2026-11-25T03:00:00.000Z',
      value: '0.05',
      samples: 38,
      breaching: false,
      forecast: null,
      expected: null,
      lower: null,
      upper: null,
    },
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

describe('previewOption for the new rule kinds', () => {
  const at = (hour: number) => `2026-11-25T0${hour}:00:00.000Z`;
  const point = (hour: number, fields: Partial<AlertPreview['points'][number]>): AlertPreview['points'][number] => ({
    at: at(hour),
    value: null,
    samples: 10,
    breaching: false,
    forecast: null,
    expected: null,
    lower: null,
    upper: null,
    ...fields,
  });
  type Drawn = Array<{ name: string; stack?: string; data: Array<{ value: [number, number | null] } | [number, number]> }>;
  const ys = (series: Drawn[number]) => series.data.map((d) => (Array.isArray(d) ? d[1] : d.value[1]));

  it('draws a budget rule’s spend, its forecast and the budget', () => {
    const budget: AlertPreview = {
      ...preview,
      points: [point(1, { value: '40', forecast: '480' }), point(2, { value: '90', forecast: '540', breaching: true })],
    };
    const option = previewOption(budget, { metric: 'COST', threshold: '500', kind: 'BUDGET' }, range, LIGHT_CHART_THEME, where, words);
    const series = option.series as unknown as Drawn;
    expect(series.map((s) => s.name)).toEqual(['Value', 'Forecast', 'Threshold', 'Breaching']);
    expect(ys(series[1]!)).toEqual([480, 540]);
    expect(ys(series[2]!)).toEqual([500, 500]);
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 1 }]);
    expect(tooltip).toContain('Forecast');
    expect(tooltip).toContain('$540');
  });

  it('draws an anomaly rule’s value in its baseline band, with no threshold line', () => {
    const anomaly: AlertPreview = {
      ...preview,
      points: [
        point(1, { value: '120', expected: '100', lower: '70', upper: '130' }),
        point(2, { value: '400', expected: '100', lower: '70', upper: '130', breaching: true }),
      ],
    };
    const option = previewOption(
      anomaly,
      { metric: 'REQUEST_COUNT', threshold: '3', kind: 'ANOMALY' },
      range,
      LIGHT_CHART_THEME,
      where,
      words,
    );
    const series = option.series as unknown as Drawn;
    expect(series.map((s) => s.name)).toEqual(['Value', 'Band (low)', 'Band', 'Usual', 'Breaching']);
    // Stacked: the band's base at the lower edge, then its height up to the upper edge.
    expect(ys(series[1]!)).toEqual([70, 70]);
    expect(ys(series[2]!)).toEqual([60, 60]);
    expect(series[1]!.stack).toBe(series[2]!.stack);
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 1 }]);
    expect(tooltip).toContain('70 – 130');
    expect(tooltip).not.toContain('Threshold');
  });
});
