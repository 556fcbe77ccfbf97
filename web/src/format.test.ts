import { describe, expect, it } from 'vitest';
import { formatDateTime, formatInteger, formatMoney } from './format';

describe('formatMoney', () => {
  it('keeps every digit of a decimal string up to six places', () => {
    expect(formatMoney('0.000123', 'USD', 'en')).toBe('$0.000123');
    expect(formatMoney('12.5', 'USD', 'en')).toBe('$12.50');
  });

  it('formats for the locale and shows a dash when there is no cost', () => {
    expect(formatMoney('1234.5', 'EUR', 'zh-CN')).toBe('€1,234.50');
    expect(formatMoney(null, 'USD', 'en')).toBe('—');
  });
});

describe('formatInteger and formatDateTime', () => {
  it('group digits and show the time in the given zone', () => {
    expect(formatInteger(1234567, 'en')).toBe('1,234,567');
    expect(formatDateTime('2026-03-01T13:05:09Z', 'en', 'UTC')).toBe('03/01/2026, 13:05:09');
    expect(formatDateTime('2026-03-01T13:05:09Z', 'en', 'Asia/Shanghai')).toBe('03/01/2026, 21:05:09');
  });
});
