import { describe, expect, it } from 'vitest';

import { fromDateTimeLocal, toDateTimeLocal } from './dateTimeLocal';

describe('datetime-local values', () => {
  it('round-trip an instant through the browser timezone to the minute', () => {
    const iso = '2026-03-01T13:05:00.000Z';
    expect(toDateTimeLocal(iso)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromDateTimeLocal(toDateTimeLocal(iso))).toBe(iso);
  });

  it('refuse empty and malformed values', () => {
    expect(fromDateTimeLocal('')).toBeNull();
    expect(fromDateTimeLocal('2026-03-01')).toBeNull();
    expect(fromDateTimeLocal('2026-13-45T99:00')).toBeNull();
  });
});
