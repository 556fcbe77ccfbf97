/** Time labels for chart axes and tooltips, in the viewer's locale and timezone. */

export type BucketInterval = 'MINUTE' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/** Where and how the viewer reads: the locale for numbers and words, the timezone for times. */
export interface ChartLocale {
  locale: string;
  timeZone: string;
}

const DAY_MS = 86_400_000;

function parts(ms: number, locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(new Date(ms));
}

function isMidnight(ms: number, timeZone: string): boolean {
  return parts(ms, 'en-GB', timeZone, { hour: '2-digit', minute: '2-digit', hour12: false }) === '00:00';
}

/**
 * A tick of a time axis spanning `spanMs`: hours and minutes within a day and a half (the date at
 * midnight, so the day change is visible), the date beyond, month and year beyond 90 days.
 */
export function timeTickLabel(ms: number, spanMs: number, locale: string, timeZone: string): string {
  if (spanMs > 90 * DAY_MS) return parts(ms, locale, timeZone, { year: 'numeric', month: 'short' });
  if (spanMs > 1.5 * DAY_MS || isMidnight(ms, timeZone)) return parts(ms, locale, timeZone, { month: 'short', day: 'numeric' });
  return parts(ms, locale, timeZone, { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** The heading of a bucket in a tooltip: "Nov 25, 13:00", "Wed, Nov 25", "Nov 23 – Nov 29", "November 2026". */
export function bucketLabel(iso: string, interval: BucketInterval, locale: string, timeZone: string): string {
  const ms = Date.parse(iso);
  switch (interval) {
    case 'MINUTE':
    case 'HOUR':
      return parts(ms, locale, timeZone, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
    case 'DAY':
      return parts(ms, locale, timeZone, { weekday: 'short', month: 'short', day: 'numeric' });
    case 'WEEK':
      return `${parts(ms, locale, timeZone, { month: 'short', day: 'numeric' })} – ${parts(ms + 6 * DAY_MS, locale, timeZone, { month: 'short', day: 'numeric' })}`;
    case 'MONTH':
      return parts(ms, locale, timeZone, { year: 'numeric', month: 'long' });
  }
}

/** A money tick: short for large amounts ("$1.2K"), every needed digit for small ones ("$0.0035"). */
export function moneyTick(value: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumSignificantDigits: 3 }).format(value);
}
