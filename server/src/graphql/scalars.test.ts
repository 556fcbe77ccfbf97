import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';

import { DecimalScalar, normalizeDecimal } from './scalars.js';

describe('Decimal scalar', () => {
  it('takes strings and numbers and keeps them exact', () => {
    expect(DecimalScalar.parseValue('0.0000001234')).toBe('0.0000001234');
    expect(DecimalScalar.parseValue(2.5)).toBe('2.5');
    expect(DecimalScalar.parseValue(1e-7)).toBe('0.0000001');
    expect(DecimalScalar.parseLiteral({ kind: Kind.FLOAT, value: '10.25' })).toBe('10.25');
  });

  it('refuses what NUMERIC(…, 10) would silently round, and what is not a number', () => {
    expect(() => DecimalScalar.parseValue('0.00000000001')).toThrow(/10 fraction digits/);
    expect(() => DecimalScalar.parseValue('1e5')).toThrow();
    expect(() => DecimalScalar.parseValue('abc')).toThrow();
    expect(() => DecimalScalar.parseValue(Number.NaN)).toThrow();
  });

  it('returns stored values without trailing zeros', () => {
    expect(normalizeDecimal('0.0045000000')).toBe('0.0045');
    expect(normalizeDecimal('12.0000000000')).toBe('12');
    expect(normalizeDecimal('100')).toBe('100');
  });
});
