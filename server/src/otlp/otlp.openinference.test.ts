import { describe, expect, it } from 'vitest';

import { SpanKind, SpanStatus } from '../traces/span.types.js';
import type { OtlpSpan } from './otlp.decode.js';
import { spanToLog } from './otlp.genai.js';
import { kindOf, toSpanRecord } from './otlp.spans.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const START = 1_764_000_000_000_000_000n;

const span = (overrides: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: TRACE,
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: null,
  name: 'span',
  kind: 1,
  startNanos: START,
  endNanos: START + 900_000_000n,
  attributes: {},
  events: [],
  status: { code: 0, message: '' },
  resource: { 'service.name': 'support-bot' },
  scope: { name: '', version: '' },
  ...overrides,
});

// As @arizeai/openinference-instrumentation-openai records a chat completion: the request body as
// input.value, flattened messages, invocation parameters and usage, the span named after the API.
const openAiRequest = { model: 'gpt-4o-mini', temperature: 0.1, messages: [{ role: 'user', content: 'Where is my order?' }] };
const openAiChat = (attributes: OtlpSpan['attributes'] = {}) =>
  span({
    name: 'OpenAI Chat Completions',
    scope: { name: '@arizeai/openinference-instrumentation-openai', version: '3.0.0' },
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'input.value': JSON.stringify(openAiRequest),
      'input.mime_type': 'application/json',
      'llm.invocation_parameters': JSON.stringify({ model: 'gpt-4o-mini', temperature: 0.1 }),
      'llm.system': 'openai',
      'llm.provider': 'openai',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Where is my order?',
      'output.value': JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-4o-mini-2024-07-18', choices: [] }),
      'output.mime_type': 'application/json',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'It left the warehouse today.',
      'llm.token_count.prompt': 31,
      'llm.token_count.completion': 9,
      'llm.token_count.total': 40,
      'llm.token_count.prompt_details.cache_read': 16,
      ...attributes,
    },
    status: { code: 1, message: '' },
  });

describe('spans of the OpenInference OpenAI SDK instrumentation', () => {
  it('become a priced log with the messages as prompt and the answer as response', () => {
    expect(spanToLog(openAiChat())).toMatchObject({
      eventId: `otlp-${TRACE}-eee19b7ec3c1b174`,
      appId: 'support-bot',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      operation: 'chat',
      prompt: '[{"role":"user","content":"Where is my order?"}]',
      response: 'It left the warehouse today.',
      inputTokens: 31,
      outputTokens: 9,
      cachedInputTokens: 16,
      latencyMs: 900,
      status: 'SUCCESS',
      metadata: { 'openinference.span.kind': 'LLM', 'otel.span_name': 'OpenAI Chat Completions' },
    });
  });

  it('keep tool calls of the answer as JSON rather than dropping them', () => {
    const log = spanToLog(
      openAiChat({
        'llm.output_messages.0.message.content': '',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'track_order',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"id":"A-17"}',
      }),
    );
    expect(JSON.parse(log!.response!)).toEqual([
      {
        role: 'assistant',
        content: '',
        'tool_calls.0.tool_call.function.name': 'track_order',
        'tool_calls.0.tool_call.function.arguments': '{"id":"A-17"}',
      },
    ]);
  });

  it('are stored as LLM spans whose input and output are not repeated in attributes', () => {
    const record = toSpanRecord(openAiChat());
    expect(record).toMatchObject({
      kind: SpanKind.LLM,
      status: SpanStatus.OK,
      name: 'OpenAI Chat Completions',
      input: JSON.stringify(openAiRequest),
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      inputTokens: 31,
      outputTokens: 9,
      durationMs: 900,
    });
    expect(record.attributes).toHaveProperty('llm.invocation_parameters');
    expect(record.attributes).not.toHaveProperty('input.value');
    expect(record.attributes).not.toHaveProperty('llm.input_messages.0.message.content');
  });

  it('record a failed call as an ERROR log and span with the message', () => {
    const failed = span({
      name: 'OpenAI Chat Completions',
      attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o', 'llm.provider': 'openai' },
      status: { code: 2, message: '429 Rate limit reached' },
    });
    expect(spanToLog(failed)).toMatchObject({ status: 'ERROR', errorMessage: '429 Rate limit reached' });
    expect(toSpanRecord(failed)).toMatchObject({ status: SpanStatus.ERROR, errorMessage: '429 Rate limit reached' });
  });
});

// As the OpenInference LangChain tracer records a retrieval chain: a CHAIN per runnable, a RETRIEVER
// with its documents, and the chat model as LLM, each run's metadata as a JSON string.
const LANGCHAIN_SCOPE = { name: 'openinference.instrumentation.langchain', version: '0.1.40' };
const chain = span({
  spanId: '1000000000000001',
  name: 'RunnableSequence',
  scope: LANGCHAIN_SCOPE,
  attributes: {
    'openinference.span.kind': 'CHAIN',
    'input.value': '{"question": "What is the refund window?"}',
    'input.mime_type': 'application/json',
    'output.value': 'Thirty days from delivery.',
    metadata: '{"session_id": "thread-9", "user_id": "u-42"}',
    'session.id': 'thread-9',
    'user.id': 'u-42',
  },
  status: { code: 1, message: '' },
});
const retriever = span({
  spanId: '1000000000000002',
  parentSpanId: '1000000000000001',
  name: 'VectorStoreRetriever',
  scope: LANGCHAIN_SCOPE,
  attributes: {
    'openinference.span.kind': 'RETRIEVER',
    'input.value': 'What is the refund window?',
    'retrieval.documents.0.document.content': 'Refunds are accepted within 30 days of delivery.',
    'retrieval.documents.0.document.metadata': '{"source": "policy.md"}',
    metadata: '{"ls_retriever_name": "vectorstore", "ls_vector_store_provider": "Chroma"}',
  },
  status: { code: 1, message: '' },
});
const chatModel = span({
  spanId: '1000000000000003',
  parentSpanId: '1000000000000001',
  name: 'ChatOpenAI',
  scope: LANGCHAIN_SCOPE,
  attributes: {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'openai',
    'llm.system': 'openai',
    'llm.model_name': 'gpt-4o-mini',
    'llm.invocation_parameters': '{"model_name": "gpt-4o-mini", "temperature": 0.0, "_type": "openai-chat"}',
    'input.value': '{"messages": [[{"lc": 1, "type": "constructor", "kwargs": {"content": "What is the refund window?"}}]]}',
    'input.mime_type': 'application/json',
    'llm.input_messages.0.message.role': 'system',
    'llm.input_messages.0.message.content': 'Answer from the context.',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.content': 'What is the refund window?',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': 'Thirty days from delivery.',
    'llm.token_count.prompt': 58,
    'llm.token_count.completion': 6,
    'llm.token_count.total': 64,
    metadata: '{"session_id": "thread-9", "user_id": "u-42", "ls_provider": "openai", "ls_model_name": "gpt-4o-mini"}',
    'session.id': 'thread-9',
    'user.id': 'u-42',
  },
  status: { code: 1, message: '' },
});

describe('spans of the OpenInference LangChain instrumentation', () => {
  it('keep the chain, retriever and model steps with their kinds and parents', () => {
    const records = [chain, retriever, chatModel].map(toSpanRecord);
    expect(records.map((r) => [r.name, r.kind, r.parentSpanId])).toEqual([
      ['RunnableSequence', SpanKind.CHAIN, null],
      ['VectorStoreRetriever', SpanKind.RETRIEVER, '1000000000000001'],
      ['ChatOpenAI', SpanKind.LLM, '1000000000000001'],
    ]);
    expect(records[0]).toMatchObject({ sessionId: 'thread-9', userId: 'u-42', output: 'Thirty days from delivery.' });
    expect(records[1]!.attributes).toHaveProperty('retrieval.documents.0.document.content');
  });

  it('turn only the model call into a log, with its session, user and messages', () => {
    expect(spanToLog(chain)).toBeNull();
    expect(spanToLog(retriever)).toBeNull();
    const log = spanToLog(chatModel);
    expect(log).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      sessionId: 'thread-9',
      userId: 'u-42',
      inputTokens: 58,
      outputTokens: 6,
      response: 'Thirty days from delivery.',
      traceId: TRACE,
      spanId: '1000000000000003',
    });
    expect(JSON.parse(log!.prompt!)).toEqual([
      { role: 'system', content: 'Answer from the context.' },
      { role: 'user', content: 'What is the refund window?' },
    ]);
    expect(log!.metadata).toMatchObject({ metadata: { ls_provider: 'openai' } });
  });
});

describe(kindOf.name, () => {
  it('maps every OpenInference kind, in any case, and anything else to OTHER', () => {
    for (const kind of ['LLM', 'EMBEDDING', 'CHAIN', 'AGENT', 'TOOL', 'RETRIEVER', 'RERANKER', 'GUARDRAIL', 'EVALUATOR']) {
      expect(kindOf(span({ attributes: { 'openinference.span.kind': kind.toLowerCase() } }))).toBe(kind);
    }
    expect(kindOf(span({ attributes: { 'openinference.span.kind': 'PROMPT' } }))).toBe(SpanKind.OTHER);
    expect(kindOf(span({ attributes: { 'http.request.method': 'GET' } }))).toBe(SpanKind.OTHER);
  });

  it('maps GenAI operations', () => {
    const kindOfOperation = (operation: string) => kindOf(span({ attributes: { 'gen_ai.operation.name': operation } }));
    expect(kindOfOperation('chat')).toBe(SpanKind.LLM);
    expect(kindOfOperation('text_completion')).toBe(SpanKind.LLM);
    expect(kindOfOperation('generate_content')).toBe(SpanKind.LLM);
    expect(kindOfOperation('embeddings')).toBe(SpanKind.EMBEDDING);
    expect(kindOfOperation('execute_tool')).toBe(SpanKind.TOOL);
    expect(kindOfOperation('invoke_agent')).toBe(SpanKind.AGENT);
    expect(kindOfOperation('create_agent')).toBe(SpanKind.AGENT);
    expect(kindOfOperation('some_future_operation')).toBe(SpanKind.OTHER);
    expect(kindOf(span({ attributes: { 'gen_ai.system': 'openai' } }))).toBe(SpanKind.LLM);
  });
});

describe('what the GenAI conventions carry outside the usual attributes', () => {
  const genAiCall = (overrides: Partial<OtlpSpan>) =>
    span({
      name: 'chat gpt-4o',
      kind: 3,
      ...overrides,
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        ...overrides.attributes,
      },
    });

  it('reads prompt and response from the gen_ai.client.inference.operation.details event, for the log and the span', () => {
    const input = [{ role: 'user', parts: [{ type: 'text', content: 'Summarise the ticket' }] }];
    const output = [{ role: 'assistant', parts: [{ type: 'text', content: 'Refund requested' }], finish_reason: 'stop' }];
    const call = genAiCall({
      events: [
        {
          name: 'gen_ai.client.inference.operation.details',
          timeNanos: START + 800_000_000n,
          attributes: { 'gen_ai.input.messages': JSON.stringify(input), 'gen_ai.output.messages': JSON.stringify(output) },
        },
      ],
    });
    expect(spanToLog(call)).toMatchObject({ prompt: JSON.stringify(input), response: JSON.stringify(output) });
    expect(toSpanRecord(call)).toMatchObject({ kind: SpanKind.LLM, input: JSON.stringify(input), output: JSON.stringify(output) });
  });

  it('takes time to first token from gen_ai.response.time_to_first_chunk, given in seconds', () => {
    expect(spanToLog(genAiCall({ attributes: { 'gen_ai.response.time_to_first_chunk': 0.35 } }))!.timeToFirstTokenMs).toBe(350);
    expect(spanToLog(genAiCall({ attributes: { 'gen_ai.response.time_to_first_chunk': -1 } }))!.timeToFirstTokenMs).toBeNull();
    expect(spanToLog(genAiCall({}))!.timeToFirstTokenMs).toBeNull();
  });
});

describe("Dify's generate_conversation_name span", () => {
  it("gives a conversation's name: a JSON string or plain text, '' when none; no other span does", () => {
    const naming = (output?: string) =>
      toSpanRecord(
        span({
          name: 'generate_conversation_name',
          attributes: {
            'openinference.span.kind': 'CHAIN',
            'session.id': 'conv-1',
            ...(output === undefined ? {} : { 'output.value': output }),
          },
        }),
      ).conversationName;
    expect(naming(JSON.stringify('Refund for order 1042'))).toBe('Refund for order 1042');
    expect(naming('  Refund, plain  ')).toBe('Refund, plain');
    expect(naming(JSON.stringify({ name: 'not a string' }))).toBe('');
    expect(naming()).toBe('');
    expect(
      toSpanRecord(span({ name: 'message', attributes: { 'output.value': JSON.stringify('An answer') } })).conversationName,
    ).toBeNull();
  });
});
