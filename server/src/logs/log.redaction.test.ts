import { describe, expect, it } from 'vitest';

import { REDACT_DETECTORS } from '../config.js';
import { createRedactor, redactJson } from './log.redaction.js';

const sut = createRedactor(REDACT_DETECTORS, [])!;

describe(createRedactor.name, () => {
  it.each([
    ['Write to ada.lovelace@example.co.uk today', 'Write to [REDACTED:email] today'],
    ['Call me on +1 (415) 555-0132 or 13812345678', 'Call me on [REDACTED:phone] or [REDACTED:phone]'],
    ['Card 4111 1111 1111 1111 expires soon', 'Card [REDACTED:credit_card] expires soon'],
    ['key sk-proj-abcdefghijklmnopqrstuvwx1234 leaked', 'key [REDACTED:secret] leaked'],
    ['aws AKIAIOSFODNN7EXAMPLE here', 'aws [REDACTED:secret] here'],
    ['config api_key="hunter2hunter2" set', 'config api_key=[REDACTED:secret] set'],
    ['Authorization: Bearer abc.DEF-123_xyz', 'Authorization: Bearer [REDACTED:bearer]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end', 'token [REDACTED:jwt] end'],
  ])('redacts %j', (input, expected) => {
    expect(sut(input)).toBe(expected);
  });

  it('leaves ordinary numbers, dates and times alone', () => {
    const text = 'On 2026-11-25 at 10:15:30 we used 1234 tokens, order 4111111111111112, version 1.2.3, price 0.0035';
    expect(sut(text)).toBe(text);
  });

  it('runs only the detectors asked for, plus custom patterns', () => {
    const custom = createRedactor(['email'], ['ORDER-\\d{6}'])!;
    expect(custom('ada@example.com ORDER-123456 +1 415 555 0132')).toBe('[REDACTED:email] [REDACTED:custom] +1 415 555 0132');
    expect(createRedactor([], [])).toBeNull();
  });

  it('redacts every string inside JSON', () => {
    expect(redactJson({ user: { email: 'a@b.io' }, tags: ['x', 'c@d.io'], n: 5 }, sut)).toEqual({
      user: { email: '[REDACTED:email]' },
      tags: ['x', '[REDACTED:email]'],
      n: 5,
    });
  });
});

describe('phone detection at sentence ends', () => {
  it('takes a whole number that ends a sentence', () => {
    expect(createRedactor(['phone'], [])!('Call +44 20 7946 0958. Thanks')).toBe('Call [REDACTED:phone]. Thanks');
  });
});
