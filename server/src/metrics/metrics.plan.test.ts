import { describe, expect, it } from 'vitest';

import { cleanFilter, cover, rollupDimFor, splitTail, usesRollups } from './metrics.plan.js';

const at = (iso: string) => Date.parse(iso);
const span = (from: string, to: string) => ({ from: at(from), to: at(to) });

describe('the metrics planner', () => {
  it('reads a range inside one hour from raw rows only', () => {
    const coverage = cover([at('2026-03-01T10:05:00Z'), at('2026-03-01T10:50:00Z')]);
    expect(coverage).toEqual({ raw: [span('2026-03-01T10:05:00Z', '2026-03-01T10:50:00Z')], hour: [], day: [] });
    expect(usesRollups(coverage)).toBe(false);
  });

  it('splits a range into raw edges, whole hours and whole days', () => {
    const coverage = cover([at('2026-03-01T22:30:00Z'), at('2026-03-04T01:15:00Z')]);
    expect(coverage).toEqual({
      raw: [span('2026-03-01T22:30:00Z', '2026-03-01T23:00:00Z'), span('2026-03-04T01:00:00Z', '2026-03-04T01:15:00Z')],
      hour: [span('2026-03-01T23:00:00Z', '2026-03-02T00:00:00Z'), span('2026-03-04T00:00:00Z', '2026-03-04T01:00:00Z')],
      day: [span('2026-03-02T00:00:00Z', '2026-03-04T00:00:00Z')],
    });
    expect(usesRollups(coverage)).toBe(true);
  });

  it('merges what adjacent buckets share, so a series of hours reads one hour span', () => {
    const hours = ['10', '11', '12', '13'].map((h) => at(`2026-03-01T${h}:00:00Z`));
    expect(cover(hours)).toEqual({ raw: [], hour: [span('2026-03-01T10:00:00Z', '2026-03-01T13:00:00Z')], day: [] });
  });

  it('sets apart the minutes after the last whole hour when they lie in the last bucket', () => {
    const boundaries = [at('2026-03-01T22:30:00Z'), at('2026-03-04T01:15:00Z')];
    const { coverage, tail } = splitTail(cover(boundaries), boundaries);
    expect(tail).toEqual(span('2026-03-04T01:00:00Z', '2026-03-04T01:15:00Z'));
    expect(coverage.raw).toEqual([span('2026-03-01T22:30:00Z', '2026-03-01T23:00:00Z')]);
    // A last bucket shorter than an hour, starting before the hour: its first minutes stay raw.
    const series = [at('2026-03-01T09:00:00Z'), at('2026-03-01T10:20:00Z'), at('2026-03-01T11:05:00Z')];
    const split = splitTail(cover(series), series);
    expect(split.tail).toEqual(span('2026-03-01T11:00:00Z', '2026-03-01T11:05:00Z'));
    expect(split.coverage.raw).toEqual([span('2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z')]);
    // Minute buckets inside the last hour: the hour spans several buckets, so nothing is set apart.
    const minutes = [at('2026-03-01T09:00:00Z'), at('2026-03-01T11:03:00Z'), at('2026-03-01T11:04:00Z'), at('2026-03-01T11:05:00Z')];
    expect(splitTail(cover(minutes), minutes).tail).toBeNull();
    // A range ending on the hour has no such minutes.
    const whole = [at('2026-03-01T09:00:00Z'), at('2026-03-01T12:00:00Z')];
    expect(splitTail(cover(whole), whole).tail).toBeNull();
  });

  it('keeps only the set fields of a filter', () => {
    expect(cleanFilter({ appId: 'chat', model: null, provider: undefined })).toEqual({ appId: 'chat' });
    expect(cleanFilter(null)).toEqual({});
  });

  it('answers one field from its own rollup slice, app and model together, and a user with anything else raw', () => {
    expect(rollupDimFor({})).toBe('all');
    expect(rollupDimFor({ userId: 'u1' })).toBe('user');
    expect(rollupDimFor({}, 'model')).toBe('model');
    expect(rollupDimFor({ appId: 'chat' }, 'model')).toBe('app_model');
    expect(rollupDimFor({ appId: 'chat', userId: 'u1' })).toBeNull();
  });
});
