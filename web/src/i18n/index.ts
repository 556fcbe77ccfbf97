import { createI18n } from 'vue-i18n';

import en from './en';
import zhCN from './zh-CN';

export const LOCALES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;

export type Locale = (typeof LOCALES)[number]['code'];

const STORAGE_KEY = 'lumen.locale';

/** The saved choice, else the browser's language (any Chinese variant reads Simplified Chinese), else English. */
export function initialLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const language of languages) {
    if (/^zh\b/i.test(language)) return 'zh-CN';
    if (/^en\b/i.test(language)) return 'en';
  }
  return 'en';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(safeStorageGet(STORAGE_KEY), typeof navigator === 'undefined' ? [] : navigator.languages),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  numberFormats: {
    en: { money: { style: 'currency', currency: 'USD', maximumFractionDigits: 6 }, integer: { maximumFractionDigits: 0 } },
    'zh-CN': { money: { style: 'currency', currency: 'USD', maximumFractionDigits: 6 }, integer: { maximumFractionDigits: 0 } },
  },
  datetimeFormats: {
    en: { short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' } },
    'zh-CN': { short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' } },
  },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

function safeStorageGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
