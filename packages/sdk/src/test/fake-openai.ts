import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for the wrapper's tests: chat completions and responses, as JSON
 * or as server-sent events, with the shapes the real API sends. The model `rate-limited` answers 429.
 */
export interface FakeOpenAI {
  /** The baseURL to give the openai client. */
  baseURL: string;
  requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export const CHAT_MODEL = 'gpt-4o-2024-08-06';
export const CHAT_TEXT = ['The answer', ' is 42.'];
export const CHAT_USAGE = { prompt_tokens: 21, completion_tokens: 5, total_tokens: 26, prompt_tokens_details: { cached_tokens: 4 } };
export const RESPONSES_MODEL = 'gpt-4.1-2025-04-14';
export const RESPONSES_TEXT = ['Hello', ' there.'];
export const RESPONSES_USAGE = {
  input_tokens: 9,
  output_tokens: 3,
  total_tokens: 12,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens_details: { reasoning_tokens: 0 },
};

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeOpenAI['requests'] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      requests.push({ path: request.url ?? '', body });
      if (body.model === 'rate-limited')
        return json(response, 429, {
          error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' },
        });
      if (request.url === '/v1/chat/completions') return body.stream ? chatStream(response, body) : json(response, 200, chatCompletion());
      if (request.url === '/v1/responses') return body.stream ? responsesStream(response) : json(response, 200, responseObject());
      json(response, 404, { error: { message: `no route ${request.url}`, type: 'invalid_request_error' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake_1' });
  response.end(JSON.stringify(body));
}

function sse(response: ServerResponse, events: { event?: string; data: unknown }[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': 'req_fake_1' });
  for (const { event, data } of events)
    response.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  response.end();
}

function chatCompletion() {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: CHAT_MODEL,
    choices: [
      { index: 0, message: { role: 'assistant', content: CHAT_TEXT.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' },
    ],
    usage: CHAT_USAGE,
  };
}

function chatStream(response: ServerResponse, body: Record<string, unknown>): void {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model: CHAT_MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  sse(response, [
    { data: chunk({ role: 'assistant', content: '' }) },
    ...CHAT_TEXT.map((text) => ({ data: chunk({ content: text }) })),
    { data: chunk({}, 'stop') },
    // As the API does with stream_options.include_usage: one last chunk with no choices and the usage.
    ...(includeUsage
      ? [
          {
            data: {
              id: 'chatcmpl-fake',
              object: 'chat.completion.chunk',
              created: 1_764_000_000,
              model: CHAT_MODEL,
              choices: [],
              usage: CHAT_USAGE,
            },
          },
        ]
      : []),
    { data: '[DONE]' },
  ]);
}

function responseObject(status = 'completed') {
  return {
    id: 'resp_fake',
    object: 'response',
    created_at: 1_764_000_000,
    model: RESPONSES_MODEL,
    status,
    error: null,
    incomplete_details: null,
    output:
      status === 'completed'
        ? [
            {
              type: 'message',
              id: 'msg_fake',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: RESPONSES_TEXT.join(''), annotations: [] }],
            },
          ]
        : [],
    usage: status === 'completed' ? RESPONSES_USAGE : null,
  };
}

function responsesStream(response: ServerResponse): void {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) => ({
    event: type,
    data: { type, sequence_number: sequence++, ...fields },
  });
  sse(response, [
    event('response.created', { response: responseObject('in_progress') }),
    event('response.output_item.added', {
      output_index: 0,
      item: { type: 'message', id: 'msg_fake', status: 'in_progress', role: 'assistant', content: [] },
    }),
    ...RESPONSES_TEXT.map((delta) =>
      event('response.output_text.delta', { item_id: 'msg_fake', output_index: 0, content_index: 0, delta }),
    ),
    event('response.output_text.done', { item_id: 'msg_fake', output_index: 0, content_index: 0, text: RESPONSES_TEXT.join('') }),
    event('response.completed', { response: responseObject('completed') }),
  ]);
}
