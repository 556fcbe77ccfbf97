import { useI18n } from 'vue-i18n';

import {
  formatCompact,
  formatDateTime,
  formatDecimalNumber,
  formatDuration,
  formatElapsed,
  formatInteger,
  formatMoney,
  formatMoneyTotal,
  formatPercent,
  formatPrice,
  formatRelative,
  formatShortDateTime,
  viewerTimeZone,
} from '../format';

const timeZone = viewerTimeZone();

/**
 * Formatters bound to the current locale and the viewer's timezone. They read the locale when
 * called, so a template that uses them re-renders when the language changes.
 */
export function useFormat() {
  const { locale } = useI18n();
  return {
    timeZone,
    dateTime: (iso: string) => formatDateTime(iso, locale.value, timeZone),
    shortDateTime: (iso: string, seconds = false) => formatShortDateTime(iso, locale.value, timeZone, seconds),
    relative: (iso: string, now = new Date()) => formatRelative(iso, now, locale.value),
    integer: (value: number | null | undefined) => formatInteger(value, locale.value),
    compact: (value: number | null | undefined) => formatCompact(value, locale.value),
    decimal: (value: number | null | undefined, digits?: number) => formatDecimalNumber(value, locale.value, digits),
    percent: (rate: number | null | undefined, digits?: number) => formatPercent(rate, locale.value, digits),
    duration: (ms: number | null | undefined) => formatDuration(ms, locale.value),
    /** How long something lasted: "2 hr 5 min". */
    elapsed: (ms: number) => formatElapsed(ms, locale.value),
    money: (value: string | null | undefined, currency: string) => formatMoney(value, currency, locale.value),
    moneyTotal: (value: string | null | undefined, currency: string) => formatMoneyTotal(value, currency, locale.value),
    price: (value: string | null | undefined, currency: string) => formatPrice(value, currency, locale.value),
  };
}
