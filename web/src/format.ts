/**
 * Display formatting for the viewer's locale. Money arrives as a decimal string and is handed to
 * Intl as a string, so no digit is lost to binary floating point on the way to the screen.
 */
export function formatMoney(value: string | null | undefined, currency: string, locale: string): string {
  if (value == null) return '—';
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 6 });
  return format.format(value as unknown as number);
}

export function formatInteger(value: number | null | undefined, locale: string): string {
  return value == null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

export function formatDateTime(value: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone,
  }).format(new Date(value));
}
