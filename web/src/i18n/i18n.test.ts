import { describe, expect, it } from 'vitest';

import en from './en';
import { initialLocale } from './index';
import zhCN from './zh-CN';

function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}

describe('messages', () => {
  it('translate every English key into Simplified Chinese, with the same placeholders', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    const lookup = (messages: object, path: string) =>
      path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string;
    for (const key of keys(en)) {
      const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(lookup(zhCN, key)), key).toEqual(placeholders(lookup(en, key)));
    }
  });
});

describe('initialLocale', () => {
  it('prefers the saved choice, then the browser language', () => {
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
    expect(initialLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(initialLocale(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(initialLocale('fr', ['fr-FR'])).toBe('en');
  });
});
