import { describe, expect, it } from 'vitest';

import { formatMetricValue, formatWindow, metricUnit, shiftDecimal, thresholdForApi, thresholdForDisplay } from './alertUnits';

describe('alert units', () => {
  it('gives each metric the unit it is written in', () => {
    expect(metricUnit('ERROR_RATE')).toBe('percent');
    expect(metricUnit('NEGATIVE_FEEDBACK_RATE')).toBe('percent');
    expect(metricUnit('LATENCY_P99')).toBe('ms');
    expect(metricUnit('COST')).toBe('money');
    expect(metricUnit('TOKENS')).toBe('count');
    expect(metricUnit('REQUEST_COUNT')).toBe('count');
  });

  it('moves the decimal point exactly, without floating point', () => {
    expect(shiftDecimal('20', -2)).toBe('0.2');
    expect(shiftDecimal('12.5', -2)).toBe('0.125');
    expect(shiftDecimal('0.07', -2)).toBe('0.0007');
    expect(shiftDecimal('100', -2)).toBe('1');
    expect(shiftDecimal('0.29', 2)).toBe('29');
    expect(shiftDecimal('0.1234567891', 2)).toBe('12.34567891');
    expect(shiftDecimal('0', 2)).toBe('0');
    expect(shiftDecimal('1.5', 2)).toBe('150');
  });

  it('shows rate thresholds as percentages and sends them as fractions', () => {
    expect(thresholdForDisplay('ERROR_RATE', '0.2')).toBe('20');
    expect(thresholdForApi('ERROR_RATE', '20')).toBe('0.2');
    expect(thresholdForApi('ERROR_RATE', '33.3')).toBe('0.333');
    expect(thresholdForDisplay('LATENCY_P95', '3000')).toBe('3000');
    expect(thresholdForApi('COST', '50.25')).toBe('50.25');
  });

  it('formats values in their unit for the locale', () => {
    expect(formatMetricValue('ERROR_RATE', '0.3512', 'en')).toBe('35.12%');
    expect(formatMetricValue('LATENCY_P95', '3120', 'en')).toBe('3.12 sec');
    expect(formatMetricValue('LATENCY_P50', '850', 'en')).toBe('850 ms');
    expect(formatMetricValue('COST', '52.4', 'en')).toBe('$52.40');
    expect(formatMetricValue('REQUEST_COUNT', '1204', 'en')).toBe('1,204');
    expect(formatMetricValue('TOKENS', null, 'en')).toBe('—');
    expect(formatMetricValue('ERROR_RATE', '0.2', 'zh-CN')).toBe('20%');
  });

  it('writes a window in its largest whole unit', () => {
    expect(formatWindow(5, 'en')).toBe('5 minutes');
    expect(formatWindow(120, 'en')).toBe('2 hours');
    expect(formatWindow(1440, 'en')).toBe('1 day');
    expect(formatWindow(90, 'en')).toBe('90 minutes');
    expect(formatWindow(60, 'zh-CN')).toBe('1小时');
  });
});

describe('streaming metrics', () => {
  it('writes times to first token in milliseconds and throughput in tokens per second', () => {
    expect(metricUnit('TTFT_P95')).toBe('ms');
    expect(formatMetricValue('TTFT_P50', '1250', 'en')).toBe('1.25 sec');
    expect(metricUnit('OUTPUT_TOKENS_PER_SECOND')).toBe('tokensPerSecond');
    expect(formatMetricValue('OUTPUT_TOKENS_PER_SECOND', '42.375', 'en')).toBe('42.4 tok/s');
    expect(thresholdForApi('OUTPUT_TOKENS_PER_SECOND', '20')).toBe('20');
  });
});
