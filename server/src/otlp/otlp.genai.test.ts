import { describe, expect, it } from 'vitest';

import type { OtlpSpan } from './otlp.decode.js';
import { spanToLog } from './otlp.genai.js';

const span = (overrides: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: null,
  name: 'chat gpt-4o',
  kind: 3,
  startNanos: 1_764_000_000_000_000_000n,
  endNanos: 1_764_000_001_250_000_000n,
  attributes: {},
  events: [],
  status: { code: 0, message: '' },
  resource: { 'service.name': 'support-bot' },
  scope: { name: 'openai-instrumentation', version: '1.2.3' },
  ...overrides,
});

describe(spanToLog.name, () => {
  it('maps the current GenAI conventions to a log', () => {
    const log = spanToLog(
      span({
        attributes: {
          'gen_ai.provider.name': 'openai',
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 40,
          'gen_ai.usage.cache_read.input_tokens': 100,
          'gen_ai.conversation.id': 'conv-1',
          'gen_ai.request.temperature': 0.2,
          'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
          'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}]}]',
          'user.id': 'u-7',
        },
      }),
    );
    expect(log).toMatchObject({
      eventId: 'otlp-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
      timestamp: new Date(1_764_000_000_000),
      appId: 'support-bot',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      operation: 'chat',
      inputTokens: 120,
      outputTokens: 40,
      cachedInputTokens: 100,
      latencyMs: 1250,
      sessionId: 'conv-1',
      userId: 'u-7',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      status: 'SUCCESS',
      prompt: '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
      response: '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}]}]',
    });
    expect(log!.metadata).toMatchObject({
      'gen_ai.request.temperature': 0.2,
      'otel.span_kind': 'client',
      'otel.scope': 'openai-instrumentation@1.2.3',
    });
    expect(log!.metadata).not.toHaveProperty('gen_ai.input.messages');
  });

  it('reads older attribute names and the event-based message convention', () => {
    const log = spanToLog(
      span({
        attributes: {
          'gen_ai.system': 'az.ai.openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.prompt_tokens': 10,
          'gen_ai.usage.completion_tokens': 5,
        },
        events: [
          { name: 'gen_ai.user.message', timeNanos: 0n, attributes: { content: 'What is 2+2?' } },
          { name: 'gen_ai.choice', timeNanos: 0n, attributes: { message: { role: 'assistant', content: '4' } } },
        ],
      }),
    );
    expect(log).toMatchObject({
      provider: 'azure',
      model: 'gpt-4o-mini',
      inputTokens: 10,
      outputTokens: 5,
      prompt: 'What is 2+2?',
      response: '{"role":"assistant","content":"4"}',
    });
  });

  it('joins flattened prompt and completion lists in order', () => {
    const log = spanToLog(
      span({
        attributes: {
          'gen_ai.system': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.prompt.1.content': 'second',
          'gen_ai.prompt.0.content': 'first',
          'gen_ai.completion.0.content': 'answer',
        },
      }),
    );
    expect(log).toMatchObject({ prompt: 'first\nsecond', response: 'answer' });
    expect(log!.metadata).not.toHaveProperty('gen_ai.prompt.0.content');
  });

  it('marks a span with error status as an ERROR log with its message', () => {
    const log = spanToLog(
      span({
        attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'error.type': 'RateLimitError' },
        status: { code: 2, message: 'Rate limit reached' },
      }),
    );
    expect(log).toMatchObject({ status: 'ERROR', errorType: 'RateLimitError', errorMessage: 'Rate limit reached' });
  });

  it('maps provider names of the conventions to the names prices use', () => {
    const providerOf = (name: string) =>
      spanToLog(span({ attributes: { 'gen_ai.provider.name': name, 'gen_ai.request.model': 'm' } }))!.provider;
    expect(providerOf('gcp.vertex_ai')).toBe('google');
    expect(providerOf('aws.bedrock')).toBe('aws');
    expect(providerOf('x_ai')).toBe('x-ai');
    expect(providerOf('DeepSeek')).toBe('deepseek');
  });

  it('ignores spans that are not model calls', () => {
    expect(spanToLog(span({ name: 'GET /orders', attributes: { 'http.request.method': 'GET' } }))).toBeNull();
  });

  it('keeps metadata small when a span carries large attributes', () => {
    const log = spanToLog(
      span({ attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', big: 'x'.repeat(20_000), small: 'kept' } }),
    );
    expect(log!.metadata).toHaveProperty('small', 'kept');
    expect(log!.metadata).not.toHaveProperty('big');
  });
});
