import OpenAI, { RateLimitError } from 'openai';
import { Stream } from 'openai/streaming';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

import { Lumen } from '../client.js';
import { CHAT_MODEL, CHAT_TEXT, RESPONSES_MODEL, RESPONSES_TEXT, startFakeOpenAI, type FakeOpenAI } from '../test/fake-openai.js';
import { createIngestKey, storedLogs, uniqueAppId, type StoredLog } from '../test/lumen-api.js';
import { providerFromBaseURL } from './provider.js';

const messages = [
  { role: 'system' as const, content: 'Answer briefly.' },
  { role: 'user' as const, content: 'What is six times seven?' },
];

describe('Lumen.wrapOpenAI', () => {
  let apiKey: string;
  let fake: FakeOpenAI;
  let openai: OpenAI;
  let lumen: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
    fake = await startFakeOpenAI();
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await fake?.close();
  });
  afterEach(async () => {
    await lumen?.shutdown();
    lumen = undefined;
  });

  /** A wrapped client whose logs go to a fresh app; `logs()` reads them back once flushed. */
  function wrapped(options: Parameters<Lumen['wrapOpenAI']>[1] = {}) {
    const appId = uniqueAppId('openai');
    lumen = new Lumen({ apiKey, endpoint: inject('lumenUrl'), logger: null });
    const sut = lumen.wrapOpenAI(openai, { appId, userId: 'user-42', sessionId: 'session-9', ...options });
    const logs = async (): Promise<StoredLog[]> => {
      await lumen!.flush();
      return storedLogs(appId);
    };
    return { sut, logs };
  }

  it('returns what chat.completions.create returns and logs the call', async () => {
    const { sut, logs } = wrapped({ tags: ['beta'], metadata: { feature: 'calculator' } });

    const completion = await sut.chat.completions.create({ model: 'gpt-4o', messages });

    expect(completion).toEqual(await openai.chat.completions.create({ model: 'gpt-4o', messages }));
    expect(completion._request_id).toBe('req_fake_1');
    const [log] = await logs();
    expect(log).toMatchObject({
      provider: 'openai',
      model: CHAT_MODEL,
      operation: 'chat',
      userId: 'user-42',
      sessionId: 'session-9',
      prompt: JSON.stringify(messages),
      response: CHAT_TEXT.join(''),
      inputTokens: 21,
      outputTokens: 5,
      cachedInputTokens: 4,
      timeToFirstTokenMs: null,
      status: 'SUCCESS',
      tags: ['beta'],
      metadata: { feature: 'calculator', stream: false, finishReason: 'stop', requestId: 'req_fake_1' },
    });
    expect(log!.latencyMs).toEqual(expect.any(Number));
  });

  it('keeps withResponse() working', async () => {
    const { sut, logs } = wrapped();

    const { data, response } = await sut.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();

    expect(data.choices[0]!.message.content).toBe(CHAT_TEXT.join(''));
    expect(response.status).toBe(200);
    expect(await logs()).toHaveLength(1);
  });

  it('leaves the body of asResponse() to the caller', async () => {
    const { sut } = wrapped();

    const response = await sut.chat.completions.create({ model: 'gpt-4o', messages }).asResponse();

    expect(((await response.json()) as OpenAI.Chat.Completions.ChatCompletion).choices[0]!.message.content).toBe(CHAT_TEXT.join(''));
  });

  it('hands back the stream itself, asks for usage, and logs tokens and time to first token when it ends', async () => {
    const { sut, logs } = wrapped();

    const stream = await sut.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    expect(stream).toBeInstanceOf(Stream);
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(fake.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(CHAT_TEXT.join(''));
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 21 });
    const [log] = await logs();
    expect(log).toMatchObject({
      model: CHAT_MODEL,
      response: CHAT_TEXT.join(''),
      inputTokens: 21,
      outputTokens: 5,
      cachedInputTokens: 4,
      status: 'SUCCESS',
      metadata: { stream: true, streamCompleted: true, finishReason: 'stop', usageReported: true },
    });
    expect(log!.timeToFirstTokenMs).toEqual(expect.any(Number));
    expect(log!.timeToFirstTokenMs!).toBeLessThanOrEqual(log!.latencyMs!);
  });

  it("leaves the caller's stream_options alone, and adds none when includeStreamUsage is off", async () => {
    const own = wrapped();
    const off = wrapped({ includeStreamUsage: false });

    for await (const _ of await own.sut.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: false },
    }));
    const ownRequest = fake.requests.at(-1)!.body;
    for await (const _ of await off.sut.chat.completions.create({ model: 'gpt-4o', messages, stream: true }));
    const offRequest = fake.requests.at(-1)!.body;

    expect(ownRequest.stream_options).toEqual({ include_usage: false });
    expect(offRequest).not.toHaveProperty('stream_options');
    expect(await off.logs()).toMatchObject([
      { inputTokens: 0, outputTokens: 0, response: CHAT_TEXT.join(''), metadata: { usageReported: false } },
    ]);
  });

  it('logs a stream the caller stops reading early as not completed', async () => {
    const { sut, logs } = wrapped();

    const stream = await sut.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }

    expect(await logs()).toMatchObject([{ status: 'SUCCESS', response: CHAT_TEXT[0], metadata: { stream: true, streamCompleted: false } }]);
  });

  it('returns what responses.create returns and logs the call', async () => {
    const { sut, logs } = wrapped();

    const response = await sut.responses.create({ model: 'gpt-4.1', instructions: 'Be kind.', input: 'Say hello.' });

    expect(response.output_text).toBe(RESPONSES_TEXT.join(''));
    expect(response).toEqual(await openai.responses.create({ model: 'gpt-4.1', instructions: 'Be kind.', input: 'Say hello.' }));
    expect(await logs()).toMatchObject([
      {
        provider: 'openai',
        model: RESPONSES_MODEL,
        operation: 'responses',
        prompt: 'Be kind.\nSay hello.',
        response: RESPONSES_TEXT.join(''),
        inputTokens: 9,
        outputTokens: 3,
        timeToFirstTokenMs: null,
        status: 'SUCCESS',
        metadata: { stream: false, responseId: 'resp_fake', responseStatus: 'completed' },
      },
    ]);
  });

  it('logs a streamed response with its usage and time to first token', async () => {
    const { sut, logs } = wrapped();

    const stream = await sut.responses.create({ model: 'gpt-4.1', input: [{ role: 'user', content: 'Say hello.' }], stream: true });
    expect(stream).toBeInstanceOf(Stream);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);

    expect(types).toEqual([
      'response.created',
      'response.output_item.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.completed',
    ]);
    const [log] = await logs();
    expect(log).toMatchObject({
      model: RESPONSES_MODEL,
      operation: 'responses',
      prompt: JSON.stringify([{ role: 'user', content: 'Say hello.' }]),
      response: RESPONSES_TEXT.join(''),
      inputTokens: 9,
      outputTokens: 3,
      status: 'SUCCESS',
      metadata: { stream: true, streamCompleted: true },
    });
    expect(log!.timeToFirstTokenMs).toEqual(expect.any(Number));
  });

  it("rethrows the API's error as the client throws it and logs it", async () => {
    const { sut, logs } = wrapped();

    const call = sut.chat.completions.create({ model: 'rate-limited', messages });

    await expect(call).rejects.toBeInstanceOf(RateLimitError);
    expect(await logs()).toMatchObject([
      {
        model: 'rate-limited',
        status: 'ERROR',
        errorType: 'rate_limit_exceeded',
        errorMessage: expect.stringContaining('Rate limit reached'),
        metadata: { httpStatus: 429, providerErrorType: 'requests', errorClass: 'RateLimitError' },
      },
    ]);
  });

  it('logs the provider given, or the one its baseURL names', async () => {
    const { sut, logs } = wrapped({ provider: 'vllm' });
    await sut.chat.completions.create({ model: 'gpt-4o', messages });

    expect(await logs()).toMatchObject([{ provider: 'vllm' }]);
    expect(providerFromBaseURL('https://api.openai.com/v1')).toBe('openai');
    expect(providerFromBaseURL('https://api.deepseek.com/v1')).toBe('deepseek');
    expect(providerFromBaseURL('https://dashscope.aliyuncs.com/compatible-mode/v1')).toBe('qwen');
    expect(providerFromBaseURL('https://my-resource.openai.azure.com/openai')).toBe('azure');
    expect(providerFromBaseURL('http://127.0.0.1:8000/v1')).toBe('openai');
  });

  it('leaves the rest of the client as it is, and the client it wraps unlogged', async () => {
    const { sut, logs } = wrapped();

    expect(sut.chat).toBe(sut.chat);
    expect(sut.baseURL).toBe(openai.baseURL);
    await openai.chat.completions.create({ model: 'gpt-4o', messages });
    await sut.withOptions({ timeout: 5_000 }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'again' }] });

    expect(await logs()).toMatchObject([{ prompt: JSON.stringify([{ role: 'user', content: 'again' }]) }]);
  });
});
