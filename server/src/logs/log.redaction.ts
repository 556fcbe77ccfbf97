/**
 * Removes personal data and secrets from text before it is stored. Each detector replaces what it
 * finds with a marker naming it ("[REDACTED:email]"), so a reader still sees that something was there.
 */
import type { Detector } from '../config.js';

export type Redact = (text: string) => string;

interface Rule {
  name: string;
  pattern: RegExp;
  /** Decides whether a match is really the thing (a card number passes Luhn, a phone has 8 to 15 digits). */
  accept?: (match: string) => boolean;
}

const RULES: Record<Detector, Rule[]> = {
  // Bearer tokens and JWTs first: they contain characters other rules would partly match.
  bearer: [
    { name: 'bearer', pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi },
    { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g },
  ],
  secret: [
    {
      name: 'secret',
      pattern:
        /\b(?:sk-(?:proj-|ant-(?:api\d{2}-)?)?[A-Za-z0-9_-]{20,}|lmn_[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|hf_[A-Za-z0-9]{30,}|glpat-[A-Za-z0-9_-]{20,})/g,
    },
    { name: 'secret', pattern: /\b(api[_-]?key|secret|password|passwd|token)(\s*[:=]\s*)(["']?)[^\s"',;]{6,}\3/gi },
  ],
  email: [{ name: 'email', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g }],
  credit_card: [{ name: 'credit_card', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, accept: (match) => luhn(match.replace(/\D/g, '')) }],
  phone: [
    {
      name: 'phone',
      pattern: /(?<!\w|\d\.)\+?\(?\d[\d\s().-]{6,18}\d(?!\w|\.\d)/g,
      accept: (match) => {
        const digits = match.replace(/\D/g, '').length;
        // Dates and times (2026-11-25, 10:15:30) and short numbers are not phone numbers.
        return digits >= 8 && digits <= 15 && !/^\d{4}-\d{2}-\d{2}/.test(match.trim());
      },
    },
  ],
};

// Card numbers before phones: a card number also looks like a long phone number.
const ORDER: Detector[] = ['bearer', 'secret', 'email', 'credit_card', 'phone'];

export function createRedactor(detectors: readonly Detector[], customPatterns: readonly string[]): Redact | null {
  const rules: Rule[] = [
    ...ORDER.filter((detector) => detectors.includes(detector)).flatMap((detector) => RULES[detector]),
    ...customPatterns.map((source) => ({ name: 'custom', pattern: new RegExp(source, 'g') })),
  ];
  if (rules.length === 0) return null;
  return (text) => {
    let result = text;
    for (const rule of rules) {
      result = result.replace(rule.pattern, (match: string, ...groups: unknown[]) => {
        if (rule.accept && !rule.accept(match)) return match;
        // "api_key = value" keeps its name and separator so the reader knows what was removed.
        if (rule.name === 'secret' && typeof groups[0] === 'string' && typeof groups[1] === 'string')
          return `${groups[0]}${groups[1]}[REDACTED:secret]`;
        return rule.name === 'bearer' ? 'Bearer [REDACTED:bearer]' : `[REDACTED:${rule.name}]`;
      });
    }
    return result;
  };
}

/** Redacts every string inside a JSON value. */
export function redactJson(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redact));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactJson(item, redact)]));
  return value;
}

function luhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
