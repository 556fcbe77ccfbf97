import { describe, expect, it } from 'vitest';

import {
  formatCompact,
  formatDateTime,
  formatDuration,
  formatElapsed,
  formatInteger,
  formatMoney,
  formatMoneyTotal,
  formatPercent,
  formatPrice,
  formatRelative,
  formatShortDateTime,
  formatUtcOffset,
} from './format';

describe('formatMoney', () => {
  it('keeps every digit of a decimal string up to six places', () => {
    expect(formatMoney('0.000123', 'USD', 'en')).toBe('$0.000123');
    expect(formatMoney('12.5', 'USD', 'en')).toBe('$12.50');
  });

  it('formats for the locale and shows a dash when there is no cost', () => {
    expect(formatMoney('1234.5', 'EUR', 'zh-CN')).toBe('€1,234.50');
    expect(formatMoney('1234.5', 'USD', 'zh-CN')).toBe('US$1,234.50');
    expect(formatMoney(null, 'USD', 'en')).toBe('—');
  });

  it('never shows a tiny cost as zero', () => {
    expect(formatMoney('0.00000048', 'USD', 'en')).toBe('$0.00000048');
    expect(formatMoney('0', 'USD', 'en')).toBe('$0.00');
  });
});

describe('formatPrice', () => {
  it('shows a price with all its stored decimals, without passing through a float', () => {
    expect(formatPrice('0.0000012345', 'USD', 'en')).toBe('$0.0000012345');
    expect(formatPrice('123456789.1234567891', 'USD', 'en')).toBe('$123,456,789.1234567891');
    expect(formatPrice('6.4', 'CNY', 'zh-CN')).toBe('¥6.40');
  });
});

describe('formatInteger, formatDuration and formatRelative', () => {
  it('group digits, choose ms or seconds, and say how long ago in the locale', () => {
    expect(formatInteger(1234567, 'en')).toBe('1,234,567');
    expect(formatDuration(640, 'en')).toBe('640 ms');
    expect(formatDuration(2345, 'en')).toBe('2.35 sec');
    expect(formatDuration(640, 'zh-CN')).toBe('640毫秒');
    expect(formatDuration(null, 'en')).toBe('—');
    const now = new Date('2026-03-01T12:00:00Z');
    expect(formatRelative('2026-03-01T11:57:00Z', now, 'en')).toBe('3 minutes ago');
    expect(formatRelative('2026-02-28T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(formatRelative('2026-03-01T11:57:00Z', now, 'zh-CN')).toBe('3分钟前');
  });
});

describe('formatDateTime and the timezone', () => {
  it('show the time in the given zone, with its offset', () => {
    expect(formatDateTime('2026-03-01T13:05:09Z', 'en', 'UTC')).toBe('Mar 1, 2026, 13:05:09');
    expect(formatDateTime('2026-03-01T13:05:09Z', 'en', 'Asia/Shanghai')).toBe('Mar 1, 2026, 21:05:09');
    expect(formatShortDateTime('2026-03-01T13:05:09Z', 'zh-CN', 'Asia/Shanghai', true)).toBe('3月1日 21:05:09');
    expect(formatUtcOffset('Asia/Shanghai', new Date('2026-03-01T00:00:00Z'), 'en')).toBe('GMT+8');
    expect(formatUtcOffset('America/New_York', new Date('2026-07-01T00:00:00Z'), 'en')).toBe('GMT-4');
  });
});

describe('formatCompact and formatPercent', () => {
  it('write large counts short and rates as percentages, in the locale', () => {
    expect(formatCompact(12_345, 'en')).toBe('12.3K');
    expect(formatCompact(12_345, 'zh-CN')).toBe('1.2万');
    expect(formatCompact(999, 'en')).toBe('999');
    expect(formatPercent(0.98765, 'en')).toBe('98.8%');
    expect(formatPercent(0.5, 'zh-CN')).toBe('50%');
    expect(formatPercent(null, 'en')).toBe('—');
  });
});

describe('formatMoneyTotal', () => {
  it('shows cents for totals from one unit up and two significant digits below', () => {
    expect(formatMoneyTotal('15.1234567', 'USD', 'en')).toBe('$15.12');
    expect(formatMoneyTotal('1234567.899', 'USD', 'en')).toBe('$1,234,567.90');
    expect(formatMoneyTotal('0.0041999', 'USD', 'en')).toBe('$0.0042');
    expect(formatMoneyTotal('0', 'USD', 'zh-CN')).toBe('US$0.00');
  });
});

describe('formatElapsed', () => {
  it('says how long something lasted in its two largest units', () => {
    expect(formatElapsed(45_400, 'en')).toBe('45 sec');
    expect(formatElapsed(12 * 60_000 + 5_000, 'en')).toBe('12 min');
    expect(formatElapsed(125 * 60_000, 'en')).toBe('2 hr 5 min');
    expect(formatElapsed(2 * 3_600_000, 'en')).toBe('2 hr');
    expect(formatElapsed(76 * 3_600_000, 'en')).toBe('3 days 4 hr');
    expect(formatElapsed(-5, 'en')).toBe('0 sec');
    expect(formatElapsed(90 * 60_000, 'zh-CN')).toBe('1小时 30分钟');
  });
});
