import { describe, expect, it } from 'vitest';

import { bucketStarts, checkTimeZone, chooseInterval, localToInstant } from './metrics.time-buckets.js';
import { MetricsInterval } from './metrics.types.js';

const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const iso = (dates: Date[] | null) => dates?.map((d) => d.toISOString());

describe('time buckets', () => {
  it('makes the spring-forward day 23 hours and the fall-back day 25 hours long', () => {
    const spring = iso(bucketStarts(range('2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z'), MetricsInterval.DAY, 'Europe/Berlin'));
    expect(spring).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-03-30T22:00:00.000Z',
    ]);
    const autumn = iso(bucketStarts(range('2026-10-24T00:00:00Z', '2026-10-26T12:00:00Z'), MetricsInterval.DAY, 'Europe/Berlin'));
    expect(autumn).toEqual(['2026-10-23T22:00:00.000Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
  });

  it('keeps the hour repeated when clocks go back as two buckets', () => {
    const hours = iso(bucketStarts(range('2026-11-01T04:00:00Z', '2026-11-01T08:00:00Z'), MetricsInterval.HOUR, 'America/New_York'));
    // 00:00 EDT, 01:00 EDT, 01:00 EST, 02:00 EST
    expect(hours).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z', '2026-11-01T07:00:00.000Z']);
  });

  it('aligns hours and days on half-hour offsets', () => {
    expect(iso(bucketStarts(range('2026-03-06T00:00:00Z', '2026-03-06T02:00:00Z'), MetricsInterval.HOUR, 'Asia/Kolkata'))).toEqual([
      '2026-03-05T23:30:00.000Z',
      '2026-03-06T00:30:00.000Z',
      '2026-03-06T01:30:00.000Z',
    ]);
    expect(iso(bucketStarts(range('2026-03-06T00:00:00Z', '2026-03-07T00:00:00Z'), MetricsInterval.DAY, 'Asia/Kathmandu'))).toEqual([
      '2026-03-05T18:15:00.000Z',
      '2026-03-06T18:15:00.000Z',
    ]);
  });

  it('starts weeks on Monday and months on the first, in the zone', () => {
    expect(iso(bucketStarts(range('2026-03-04T00:00:00Z', '2026-03-17T00:00:00Z'), MetricsInterval.WEEK, 'Asia/Shanghai'))).toEqual([
      '2026-03-01T16:00:00.000Z',
      '2026-03-08T16:00:00.000Z',
      '2026-03-15T16:00:00.000Z',
    ]);
    expect(iso(bucketStarts(range('2026-01-15T00:00:00Z', '2026-04-02T00:00:00Z'), MetricsInterval.MONTH, 'America/New_York'))).toEqual([
      '2026-01-01T05:00:00.000Z',
      '2026-02-01T05:00:00.000Z',
      '2026-03-01T05:00:00.000Z',
      '2026-04-01T04:00:00.000Z',
    ]);
  });

  it('maps a local time that clocks skip to the instant they jump', () => {
    expect(new Date(localToInstant(2026, 3, 8, 2, 'America/New_York')).toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('chooses the narrowest interval that keeps a series at 200 points or fewer', () => {
    expect(chooseInterval(range('2026-03-01T00:00:00Z', '2026-03-01T03:00:00Z'), 'UTC')).toBe(MetricsInterval.MINUTE);
    expect(chooseInterval(range('2026-03-01T00:00:00Z', '2026-03-01T04:00:00Z'), 'UTC')).toBe(MetricsInterval.HOUR);
    expect(chooseInterval(range('2026-03-01T00:00:00Z', '2026-03-09T00:00:00Z'), 'UTC')).toBe(MetricsInterval.HOUR);
    expect(chooseInterval(range('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'), 'UTC')).toBe(MetricsInterval.DAY);
    expect(chooseInterval(range('2026-01-01T00:00:00Z', '2027-06-01T00:00:00Z'), 'UTC')).toBe(MetricsInterval.WEEK);
    expect(chooseInterval(range('2020-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), 'UTC')).toBe(MetricsInterval.MONTH);
  });

  it('accepts IANA names and refuses anything else', () => {
    expect(checkTimeZone(undefined)).toBe('UTC');
    expect(checkTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/IANA/);
    expect(() => checkTimeZone("UTC'; drop table")).toThrow(/IANA/);
  });
});
