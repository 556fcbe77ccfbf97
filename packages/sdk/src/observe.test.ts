import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

import { Lumen } from './client.js';
import { createIngestKey, storedLogs, uniqueAppId } from './test/lumen-api.js';

class QuotaExceededError extends Error {}

describe('Lumen.observe', () => {
  let apiKey: string;
  let sut: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
  });
  afterEach(async () => {
    await sut?.shutdown();
    sut = undefined;
  });

  it('returns the result and logs the call with its latency and what extract reads from it', async () => {
    const appId = uniqueAppId('observe-ok');
    sut = new Lumen({ apiKey, endpoint: inject('lumenUrl'), appId, logger: null });
    const answer = { text: 'Paris', usage: { in: 31, out: 2 }, model: 'qwen-max-2025-01-25' };

    const result = await sut.observe(
      {
        provider: 'qwen',
        model: 'qwen-max',
        operation: 'chat',
        userId: 'user-7',
        prompt: 'Capital of France?',
        metadata: { route: '/ask' },
        extract: (value: typeof answer) => ({
          response: value.text,
          inputTokens: value.usage.in,
          outputTokens: value.usage.out,
          model: value.model,
        }),
      },
      async () => answer,
    );
    await sut.flush();

    expect(result).toBe(answer);
    const [log] = await storedLogs(appId);
    expect(log).toMatchObject({
      provider: 'qwen',
      model: 'qwen-max-2025-01-25',
      userId: 'user-7',
      prompt: 'Capital of France?',
      response: 'Paris',
      inputTokens: 31,
      outputTokens: 2,
      status: 'SUCCESS',
      errorType: null,
      metadata: { route: '/ask' },
    });
    expect(log!.latencyMs).toEqual(expect.any(Number));
  });

  it("rethrows the caller's error untouched and logs the call as an error", async () => {
    const appId = uniqueAppId('observe-error');
    sut = new Lumen({ apiKey, endpoint: inject('lumenUrl'), appId, logger: null });
    const thrown = new QuotaExceededError('monthly quota used up');

    const call = sut.observe({ provider: 'anthropic', model: 'claude-sonnet-4' }, async () => {
      throw thrown;
    });

    await expect(call).rejects.toBe(thrown);
    await sut.flush();
    const [log] = await storedLogs(appId);
    expect(log).toMatchObject({
      status: 'ERROR',
      errorType: 'QuotaExceededError',
      errorMessage: 'monthly quota used up',
      provider: 'anthropic',
    });
  });

  it('logs the error code and HTTP status of errors that carry them, as API clients throw them', async () => {
    const appId = uniqueAppId('observe-api-error');
    sut = new Lumen({ apiKey, endpoint: inject('lumenUrl'), appId, logger: null });
    const apiError = Object.assign(new Error('Rate limit reached'), { status: 429, type: 'rate_limit_error', code: 'rate_limited' });

    await expect(sut.observe({ provider: 'openai', model: 'gpt-4o' }, () => Promise.reject(apiError))).rejects.toBe(apiError);
    await sut.flush();

    const [log] = await storedLogs(appId);
    expect(log).toMatchObject({
      status: 'ERROR',
      errorType: 'rate_limited',
      errorMessage: 'Rate limit reached',
      metadata: { httpStatus: 429, providerErrorType: 'rate_limit_error' },
    });
  });

  it('still returns the result, and logs the call, when extract throws', async () => {
    const appId = uniqueAppId('observe-extract');
    sut = new Lumen({ apiKey, endpoint: inject('lumenUrl'), appId, logger: null });

    const result = await sut.observe(
      {
        provider: 'openai',
        model: 'gpt-4o',
        extract: () => {
          throw new Error('unexpected shape');
        },
      },
      () => 'plain value',
    );
    await sut.flush();

    expect(result).toBe('plain value');
    expect(await storedLogs(appId)).toMatchObject([{ status: 'SUCCESS', model: 'gpt-4o' }]);
  });
});
