import { describe, expect, it } from 'vitest';

import { intervalFor, liveWindowFor, previousRange } from './dashboardRange';

const range = (from: string, to: string) => ({ from, to });

describe('intervalFor', () => {
  it('chooses minutes for an hour, hours for a day or a week, days for a month, weeks and months beyond', () => {
    expect(intervalFor(range('2026-03-01T11:00:00Z', '2026-03-01T12:00:00Z'))).toBe('MINUTE');
    expect(intervalFor(range('2026-02-28T12:00:00Z', '2026-03-01T12:00:00Z'))).toBe('HOUR');
    expect(intervalFor(range('2026-02-22T12:00:00Z', '2026-03-01T12:00:00Z'))).toBe('HOUR');
    expect(intervalFor(range('2026-01-30T12:00:00Z', '2026-03-01T12:00:00Z'))).toBe('DAY');
    expect(intervalFor(range('2025-03-01T00:00:00Z', '2026-03-01T00:00:00Z'))).toBe('WEEK');
    expect(intervalFor(range('2020-03-01T00:00:00Z', '2026-03-01T00:00:00Z'))).toBe('MONTH');
  });
});

describe('previousRange', () => {
  it('is the range of the same length that ends where this one starts', () => {
    expect(previousRange(range('2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'))).toEqual(
      range('2026-02-28T00:00:00.000Z', '2026-03-01T00:00:00.000Z'),
    );
  });
});

describe('liveWindowFor', () => {
  it('follows the preset up to a day, only signals beyond, and has nothing live for a custom range', () => {
    expect(liveWindowFor({ kind: 'preset', preset: '1h' })).toEqual({ seconds: 3600, isWholeRange: true });
    expect(liveWindowFor({ kind: 'preset', preset: '24h' })).toEqual({ seconds: 86_400, isWholeRange: true });
    expect(liveWindowFor({ kind: 'preset', preset: '7d' })).toEqual({ seconds: 86_400, isWholeRange: false });
    expect(liveWindowFor({ kind: 'custom', from: 'a', to: 'b' })).toBeNull();
  });
});
