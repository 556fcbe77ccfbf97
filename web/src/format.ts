/**
 * Display formatting for the viewer's locale and timezone. Money arrives as a decimal string and is
 * handed to Intl as a string, so no digit is lost to binary floating point on the way to the screen.
 */
// Intl.NumberFormat formats a decimal string exactly (ECMA-402 "Intl.NumberFormat v3"); its types only say number.
function toIntlDecimal(value: string): number {
  return value as unknown as number;
}

/** Money to six decimals, or two significant digits for a tiny amount that would otherwise show as 0.00. */
export function formatMoney(value: string | null | undefined, currency: string, locale: string): string {
  if (value == null) return '—';
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
    maximumSignificantDigits: 2,
    roundingPriority: 'morePrecision',
  });
  return format.format(toIntlDecimal(value));
}

/** A total for a headline figure: cents from one unit up ("$15.12"), two significant digits below ("$0.0042"). */
export function formatMoneyTotal(value: string | null | undefined, currency: string, locale: string): string {
  if (value == null) return '—';
  // Number() only chooses the precision; the digits shown come from the decimal string.
  const amount = Math.abs(Number(value));
  const options: Intl.NumberFormatOptions =
    amount >= 1 || amount === 0 ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumSignificantDigits: 2 };
  return new Intl.NumberFormat(locale, { style: 'currency', currency, ...options }).format(toIntlDecimal(value));
}

/** A price per million tokens: every digit the API holds (it stores 10 fraction digits), never rounded. */
export function formatPrice(value: string | null | undefined, currency: string, locale: string): string {
  if (value == null) return '—';
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 12 });
  return format.format(toIntlDecimal(value));
}

export function formatInteger(value: number | null | undefined, locale: string): string {
  return value == null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A measured quantity (tokens per second) with at most `digits` decimals; a dash when there is none. */
export function formatDecimalNumber(value: number | null | undefined, locale: string, digits = 1): string {
  return value == null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** A large count written short for the locale: "12K" / "1.2万". */
export function formatCompact(value: number | null | undefined, locale: string): string {
  return value == null ? '—' : new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A rate from 0 to 1 as a percentage with at most `digits` decimals; a dash when there is none. */
export function formatPercent(rate: number | null | undefined, locale: string, digits = 1): string {
  return rate == null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits }).format(rate);
}

/** Milliseconds under a second, seconds with two decimals above, in the locale's unit words. */
export function formatDuration(ms: number | null | undefined, locale: string): string {
  if (ms == null) return '—';
  if (ms < 1000) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'millisecond', maximumFractionDigits: 0 }).format(ms);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', maximumFractionDigits: 2 }).format(ms / 1000);
}

/**
 * "Mar 1, 2026, 13:05:09" / "2026年3月1日 13:05:09": the full form of the app's one way of writing a
 * date (formatShortDateTime leaves out the year and, unless asked, the seconds).
 */
export function formatDateTime(value: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone,
  }).format(new Date(value));
}

/** "Nov 25, 13:05" / "11月25日 13:05" (with seconds when asked): compact, for tables and range labels. */
export function formatShortDateTime(value: string, locale: string, timeZone?: string, seconds = false): string {
  return new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hour12: false,
    timeZone,
  }).format(new Date(value));
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "3 minutes ago" / "3分钟前", in the largest unit that fits. */
export function formatRelative(value: string, now: Date, locale: string): string {
  let amount = (new Date(value).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return format.format(Math.round(amount), 'year');
}

/** How long something lasted, in its two largest units: "45 sec", "12 min", "2 hr 5 min", "3 days 4 hr". */
export function formatElapsed(ms: number, locale: string): string {
  const unit = (value: number, name: string) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${unit(hours, 'hour')} ${unit(minutes % 60, 'minute')}` : unit(hours, 'hour');
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${unit(days, 'day')} ${unit(hours % 24, 'hour')}` : unit(days, 'day');
}

/** The timezone this browser displays times in, such as "Asia/Shanghai". */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The zone's offset from UTC at a moment, such as "GMT+8". */
export function formatUtcOffset(timeZone: string, at: Date, locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? '';
}
