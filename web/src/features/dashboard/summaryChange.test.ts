import { describe, expect, it } from 'vitest';

import { isComparable, pointsChange, ratioChange } from './summaryChange';

describe('ratioChange', () => {
  it('says how much a figure moved and whether that is good for it', () => {
    expect(ratioChange(120, 100, 'neutral')).toEqual({ value: 0.2, kind: 'ratio', tone: 'neutral' });
    expect(ratioChange(1500, 1000, 'lowerIsBetter')).toEqual({ value: 0.5, kind: 'ratio', tone: 'bad' });
    expect(ratioChange(800, 1000, 'lowerIsBetter')?.tone).toBe('good');
    expect(ratioChange(1001, 1000, 'lowerIsBetter')?.tone).toBe('neutral');
  });

  it('has nothing to say without a previous figure', () => {
    expect(ratioChange(10, 0, 'neutral')).toBeNull();
    expect(ratioChange(null, 5, 'lowerIsBetter')).toBeNull();
  });
});

describe('pointsChange', () => {
  it('compares rates in percentage points', () => {
    const change = pointsChange(0.95, 0.97, 'higherIsBetter')!;
    expect(change.value).toBeCloseTo(-0.02);
    expect(change).toMatchObject({ kind: 'points', tone: 'bad' });
    expect(pointsChange(0.5, null, 'higherIsBetter')).toBeNull();
  });
});

describe('isComparable', () => {
  it('compares only with a previous period that had a meaningful share of the traffic', () => {
    expect(isComparable(1000, 400)).toBe(true);
    expect(isComparable(1000, 100)).toBe(true);
    expect(isComparable(1000, 99)).toBe(false);
    expect(isComparable(0, 0)).toBe(false);
    expect(isComparable(10, null)).toBe(false);
  });
});
