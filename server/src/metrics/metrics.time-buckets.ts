import { badUserInput } from '../graphql/errors.js';
import type { TimeRange } from '../graphql/time-range.js';
import { MetricsInterval } from './metrics.types.js';

/**
 * Time-series buckets aligned in the viewer's IANA time zone. Storage is UTC; a "day" here is the
 * viewer's day, so it lasts 23 or 25 hours on daylight-saving days, and an hour repeated when clocks go
 * back is two buckets. Computed with Intl (the ICU data Node ships), so it is the same on any database.
 */
export const AUTO_MAX_POINTS = 200;
export const MAX_POINTS = 1_500;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOMINAL: Record<MetricsInterval, number> = {
  [MetricsInterval.MINUTE]: MINUTE,
  [MetricsInterval.HOUR]: HOUR,
  [MetricsInterval.DAY]: DAY,
  [MetricsInterval.WEEK]: 7 * DAY,
  [MetricsInterval.MONTH]: 28 * DAY,
};
const BY_WIDTH = [MetricsInterval.MINUTE, MetricsInterval.HOUR, MetricsInterval.DAY, MetricsInterval.WEEK, MetricsInterval.MONTH];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's canonical spelling, or BAD_USER_INPUT for a name Intl does not know. */
export function checkTimeZone(timeZone: string | null | undefined, field = 'timezone'): string {
  const name = (timeZone ?? 'UTC').trim() || 'UTC';
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) throw badUserInput(field, `"${name}" is not an IANA time zone such as Europe/Paris`);
  try {
    formatter(name);
  } catch {
    throw badUserInput(field, `"${name}" is not an IANA time zone such as Europe/Paris`);
  }
  return name;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Local time minus UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - whole;
}

/**
 * The first instant at which the zone's clocks read the given local time; when that time does not exist
 * (clocks jumped over it), the instant of the jump.
 */
export function localToInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour);
  const offsets = [...new Set([offsetAt(asUtc - DAY, timeZone), offsetAt(asUtc, timeZone), offsetAt(asUtc + DAY, timeZone)])];
  const matches = offsets.map((offset) => asUtc - offset).filter((t) => offsetAt(t, timeZone) === asUtc - t);
  if (matches.length > 0) return Math.min(...matches);
  // In a gap: find the jump between the instants that read just before and just after it.
  let before = asUtc - Math.max(...offsets);
  let after = asUtc - Math.min(...offsets);
  const offsetBefore = offsetAt(before, timeZone);
  while (after - before > 1000) {
    const mid = before + Math.floor((after - before) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offsetBefore) before = mid;
    else after = mid;
  }
  return after;
}

/** The start of the bucket holding instant `ms`. */
function bucketStart(ms: number, interval: MetricsInterval, timeZone: string): number {
  if (interval === MetricsInterval.MINUTE) return Math.floor(ms / MINUTE) * MINUTE;
  if (interval === MetricsInterval.HOUR) {
    // With the offset in force at the instant, so that a repeated hour stays its own bucket.
    const offset = offsetAt(ms, timeZone);
    return Math.floor((ms + offset) / HOUR) * HOUR - offset;
  }
  const t = localTime(ms, timeZone);
  if (interval === MetricsInterval.DAY) return localToInstant(t.year, t.month, t.day, 0, timeZone);
  if (interval === MetricsInterval.MONTH) return localToInstant(t.year, t.month, 1, 0, timeZone);
  const weekday = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
  const monday = new Date(Date.UTC(t.year, t.month - 1, t.day - ((weekday + 6) % 7)));
  return localToInstant(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, timeZone);
}

function nextBucket(start: number, interval: MetricsInterval, timeZone: string): number {
  if (interval === MetricsInterval.MINUTE) return start + MINUTE;
  if (interval === MetricsInterval.HOUR) return bucketStart(start + HOUR, interval, timeZone);
  const t = localTime(start, timeZone);
  const next =
    interval === MetricsInterval.MONTH
      ? new Date(Date.UTC(t.year, t.month, 1))
      : new Date(Date.UTC(t.year, t.month - 1, t.day + (interval === MetricsInterval.WEEK ? 7 : 1)));
  return localToInstant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, timeZone);
}

/** Starts of the buckets overlapping the range, or null once there would be more than `limit`. */
export function bucketStarts(range: TimeRange, interval: MetricsInterval, timeZone: string, limit = MAX_POINTS): Date[] | null {
  const to = range.to.getTime();
  const starts: Date[] = [];
  for (let start = bucketStart(range.from.getTime(), interval, timeZone); start < to; start = nextBucket(start, interval, timeZone)) {
    if (starts.length === limit) return null;
    starts.push(new Date(start));
  }
  return starts;
}

/** The narrowest interval that keeps the series at AUTO_MAX_POINTS points or fewer. */
export function chooseInterval(range: TimeRange, timeZone: string): MetricsInterval {
  const span = range.to.getTime() - range.from.getTime();
  for (const interval of BY_WIDTH) {
    if (span / NOMINAL[interval] > AUTO_MAX_POINTS + 2) continue;
    if (bucketStarts(range, interval, timeZone, AUTO_MAX_POINTS) !== null) return interval;
  }
  return MetricsInterval.MONTH;
}
