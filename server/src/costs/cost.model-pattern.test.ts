import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';

import { compileModelPattern, ModelPatternError } from './cost.model-pattern.js';
import { PriceTable, type PriceRule } from './cost.pricing.js';

describe(compileModelPattern.name, () => {
  it('matches the whole model name, ignoring case', () => {
    const sut = compileModelPattern('gpt-4o(-mini)?-\\d{4}-\\d{2}-\\d{2}');
    expect(sut.matches('GPT-4o-mini-2024-07-18')).toBe(true);
    expect(sut.matches('gpt-4o-2024-07-18-preview')).toBe(false);
  });

  it('answers a pattern that backtracks exponentially in a regular expression engine without backtracking', () => {
    // A backtracking engine takes about 5 s for 30 characters here, doubling with each one more.
    const sut = compileModelPattern('^(a+)+$');
    expect(sut.matches(`${'a'.repeat(127)}!`)).toBe(false);
    expect(sut.matches('a'.repeat(128))).toBe(true);
  });

  it('refuses lookaround and backreferences, which need backtracking', () => {
    expect(() => compileModelPattern('(?=gpt)gpt-4')).toThrow(ModelPatternError);
    expect(() => compileModelPattern('(a)\\1')).toThrow(ModelPatternError);
  });
});

describe(PriceTable.name, () => {
  it('runs a pattern once per provider and model of a snapshot, however many logs it prices', () => {
    let runs = 0;
    const pattern = { matches: (model: string) => (runs++, model.startsWith('qwen')) };
    const rule: PriceRule = {
      id: 'r',
      provider: 'qwen',
      model: null,
      pattern,
      input: new Decimal(1),
      output: new Decimal(1),
      cachedInput: null,
      currency: 'USD',
      effectiveFrom: 0,
      createdAt: 0,
    };
    const sut = new PriceTable([rule]);
    for (let i = 0; i < 1_000; i++) expect(sut.find('Qwen', 'qwen-max', new Date(i * 1000))?.id).toBe('r');
    expect(sut.find('qwen', 'other', new Date())).toBeUndefined();
    expect(runs).toBe(2);
  });
});
