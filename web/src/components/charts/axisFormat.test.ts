import { describe, expect, it } from 'vitest';

import { bucketLabel, moneyTick, timeTickLabel } from './axisFormat';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('timeTickLabel', () => {
  it('shows hours within a day, in the viewer’s zone, and the date where the day changes', () => {
    expect(timeTickLabel(at('2026-03-01T13:00:00Z'), 24 * HOUR, 'en', 'UTC')).toBe('13:00');
    expect(timeTickLabel(at('2026-03-01T13:00:00Z'), 24 * HOUR, 'en', 'Asia/Shanghai')).toBe('21:00');
    expect(timeTickLabel(at('2026-03-01T16:00:00Z'), 24 * HOUR, 'zh-CN', 'Asia/Shanghai')).toBe('3月2日');
  });

  it('shows dates over longer ranges and months over very long ones', () => {
    expect(timeTickLabel(at('2026-03-01T00:00:00Z'), 7 * 24 * HOUR, 'en', 'UTC')).toBe('Mar 1');
    expect(timeTickLabel(at('2026-03-01T00:00:00Z'), 200 * 24 * HOUR, 'en', 'UTC')).toBe('Mar 2026');
  });
});

describe('bucketLabel', () => {
  it('names a bucket by its width', () => {
    expect(bucketLabel('2026-03-01T13:00:00Z', 'HOUR', 'en', 'UTC')).toBe('Mar 1, 13:00');
    expect(bucketLabel('2026-03-02T00:00:00Z', 'DAY', 'en', 'UTC')).toBe('Mon, Mar 2');
    expect(bucketLabel('2026-03-02T00:00:00Z', 'WEEK', 'en', 'UTC')).toBe('Mar 2 – Mar 8');
    expect(bucketLabel('2026-03-01T00:00:00Z', 'MONTH', 'zh-CN', 'UTC')).toBe('2026年3月');
  });
});

describe('moneyTick', () => {
  it('writes large amounts short and keeps the digits of small ones', () => {
    expect(moneyTick(1234, 'USD', 'en')).toBe('$1.23K');
    expect(moneyTick(0.0035, 'USD', 'en')).toBe('$0.0035');
    expect(moneyTick(12.5, 'USD', 'zh-CN')).toBe('US$12.5');
  });
});
