import { describe, expect, it } from 'vitest';

import { loadConfig } from '../config.js';
import { LogStatus } from './log-status.types.js';
import type { LogInput } from './log.types.js';
import { truncateUtf8, validateLog } from './log.validation.js';

const limits = { ...loadConfig({}).limits, logContentMaxBytes: 64, logMetadataMaxBytes: 100 };
const policy = { limits, redact: null, storeContent: true };
const now = new Date('2026-06-01T12:00:00Z');
const valid = (overrides: Partial<LogInput> = {}): LogInput => ({ appId: 'chat', provider: 'openai', model: 'gpt-4o', ...overrides });
const problemsOf = (input: LogInput) => {
  const result = validateLog(input, policy, now);
  return result.ok ? [] : result.problems;
};

describe(validateLog.name, () => {
  it('fills defaults for a minimal log', () => {
    const result = validateLog(valid(), policy, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.log.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.log.timestamp).toEqual(now);
    expect(result.log).toMatchObject({
      status: LogStatus.SUCCESS,
      inputTokens: 0,
      outputTokens: 0,
      currency: 'USD',
      tags: [],
      metadata: {},
    });
  });

  it('requires appId, provider and model', () => {
    expect(
      problemsOf({})
        .map((p) => p.field)
        .sort(),
    ).toEqual(['appId', 'model', 'provider']);
    expect(problemsOf(valid({ appId: '   ' }))).toEqual([{ field: 'appId', message: 'is required' }]);
  });

  it('rejects an unknown status and infers ERROR from an error message', () => {
    expect(problemsOf(valid({ status: 'FAILED' }))).toEqual([{ field: 'status', message: 'must be one of SUCCESS, ERROR' }]);
    const result = validateLog(valid({ errorMessage: 'rate limited' }), policy, now);
    expect(result.ok && result.log.status).toBe(LogStatus.ERROR);
  });

  it('rejects negative counts and cached tokens above input tokens', () => {
    expect(problemsOf(valid({ outputTokens: -1 }))).toEqual([
      { field: 'outputTokens', message: 'must be a whole number from 0 to 2147483647' },
    ]);
    expect(problemsOf(valid({ latencyMs: -20 }))[0]?.field).toBe('latencyMs');
    expect(problemsOf(valid({ inputTokens: 10, cachedInputTokens: 11 }))[0]?.field).toBe('cachedInputTokens');
  });

  it('rejects timestamps far in the future or before 2000', () => {
    expect(problemsOf(valid({ timestamp: new Date('2026-06-01T12:10:00Z') }))[0]?.field).toBe('timestamp');
    expect(problemsOf(valid({ timestamp: new Date('1999-12-31T00:00:00Z') }))[0]?.field).toBe('timestamp');
    expect(problemsOf(valid({ timestamp: new Date('2026-06-01T12:04:00Z') }))).toEqual([]);
  });

  it('rejects over-long identifiers, too many tags, large metadata, bad currency and negative cost', () => {
    expect(problemsOf(valid({ model: 'm'.repeat(129) }))[0]?.field).toBe('model');
    expect(problemsOf(valid({ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }))[0]?.field).toBe('tags');
    expect(problemsOf(valid({ metadata: { blob: 'x'.repeat(200) } }))[0]?.field).toBe('metadata');
    expect(problemsOf(valid({ currency: 'dollars' }))[0]?.field).toBe('currency');
    expect(problemsOf(valid({ cost: '-0.01' }))[0]?.field).toBe('cost');
  });

  it('reports every problem of an item', () => {
    expect(
      problemsOf({ inputTokens: -1, status: 'NOPE' })
        .map((p) => p.field)
        .sort(),
    ).toEqual(['appId', 'inputTokens', 'model', 'provider', 'status']);
  });

  it('cuts prompt and response at the byte limit and flags it', () => {
    const result = validateLog(valid({ prompt: 'p'.repeat(65), response: 'short' }), policy, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.log.prompt).toHaveLength(64);
    expect(result.log.promptTruncated).toBe(true);
    expect(result.log).toMatchObject({ response: 'short', responseTruncated: false });
  });

  it('replaces NUL characters and unpaired surrogates in free text, which PostgreSQL cannot hold', () => {
    const result = validateLog(valid({ prompt: 'a\u0000b', response: 'c\ud800d', errorMessage: 'e\udc00' }), policy, now);
    expect(result.ok && result.log).toMatchObject({ prompt: 'a\uFFFDb', response: 'c\uFFFDd', errorMessage: 'e\uFFFD' });
  });

  it('refuses NUL characters and unpaired surrogates in identifiers and metadata instead of rewriting them', () => {
    for (const bad of [
      { eventId: 'id\u0000' },
      { appId: 'a\ud800' },
      { tags: ['t\u0000'] },
      { metadata: { k: 'x\u0000y' } },
      { metadata: { 'k\ud800': 1 } },
      { metadata: { a: [{ b: 'x\udc00' }] } },
    ]) {
      const result = validateLog(valid(bad), policy, now);
      expect(result.ok, JSON.stringify(bad)).toBe(false);
      expect(!result.ok && result.problems[0]!.message).toContain('NUL');
    }
  });

  it('keeps the text \\u0000 (a backslash and five characters) in metadata as it was sent', () => {
    const result = validateLog(valid({ metadata: { path: 'C:\\u0000\\file', note: '\\u0000' } }), policy, now);
    expect(result.ok && result.log.metadata).toEqual({ path: 'C:\\u0000\\file', note: '\\u0000' });
  });

  it('refuses metadata nested deeper than 20 levels without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5_000; i++) deep = [deep];
    const result = validateLog(valid({ metadata: { deep } }), policy, now);
    expect(!result.ok && result.problems).toEqual([{ field: 'metadata', message: 'must be nested at most 20 levels deep' }]);
    let twenty: unknown = 1;
    for (let i = 0; i < 19; i++) twenty = [twenty];
    expect(validateLog(valid({ metadata: { twenty } }), policy, now).ok).toBe(true);
  });

  it('refuses token counts that are not whole numbers or do not fit PostgreSQL integer', () => {
    for (const inputTokens of [1.5, 2 ** 31, 3_000_000_000, -1]) {
      const result = validateLog(valid({ inputTokens }), policy, now);
      expect(!result.ok && result.problems[0]).toEqual({ field: 'inputTokens', message: 'must be a whole number from 0 to 2147483647' });
    }
  });

  it('keeps a provided cost exactly and normalises currency and tags', () => {
    const result = validateLog(valid({ cost: '0.0001234567', currency: 'eur', tags: [' a ', 'a', '', 'b'] }), policy, now);
    expect(result.ok && result.log).toMatchObject({ providedCost: '0.0001234567', currency: 'EUR', tags: ['a', 'b'] });
  });
});

describe(truncateUtf8.name, () => {
  it('never splits a multi-byte character', () => {
    const text = '日本語のテキスト'; // 3 bytes per character
    const sut = truncateUtf8(text, 7);
    expect(sut).toEqual({ text: '日本', truncated: true });
    expect(truncateUtf8('😀😀', 5)).toEqual({ text: '😀', truncated: true });
  });

  it('leaves text within the limit alone', () => {
    expect(truncateUtf8('héllo', 6)).toEqual({ text: 'héllo', truncated: false });
  });
});

describe('validateLog with data protection', () => {
  it('redacts prompt, response, error message and metadata before cutting them', () => {
    const redact = (text: string) => text.replaceAll('secret', '[REDACTED]');
    const result = validateLog(
      valid({
        prompt: `${'x'.repeat(60)} secret`,
        response: 'a secret',
        errorMessage: 'secret failed',
        metadata: { note: 'secret', n: 1 },
      }),
      { limits, redact, storeContent: true },
      now,
    );
    expect(result.ok && result.log).toMatchObject({
      response: 'a [REDACTED]',
      errorMessage: '[REDACTED] failed',
      metadata: { note: '[REDACTED]', n: 1 },
      promptTruncated: true,
    });
    expect(result.ok && result.log.prompt).not.toContain('secret');
  });

  it('stores no prompt or response when content storage is off', () => {
    const result = validateLog(valid({ prompt: 'hello', response: 'world' }), { limits, redact: null, storeContent: false }, now);
    expect(result.ok && result.log).toMatchObject({ prompt: null, response: null, promptTruncated: false });
  });
});
