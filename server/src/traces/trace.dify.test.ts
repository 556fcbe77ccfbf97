import { context, trace as otelTrace, SpanStatusCode, type Context, type Span as OtelSpan, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';

/*
 * Spans shaped as Dify's Arize Phoenix tracer builds them (api/core/ops/arize_phoenix_trace/): a root
 * span named "Dify" started and ended when the trace is exported (so it starts after its children and
 * arrives first), a "workflow" or "message" CHAIN span under it, node spans named by node type, the
 * provider as a plugin id, the end user inside the `metadata` JSON string, an empty session.id for
 * workflow apps; each span exported in its own request as it ends (SimpleSpanProcessor), with the
 * headers Dify sends.
 */
const PROJECT = 'dify-support-bot';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const json = (value: unknown) => JSON.stringify(value);

function difyTracer(url: string, key: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'openinference.project.name': PROJECT, model_id: PROJECT }),
    spanProcessors: [
      new SimpleSpanProcessor(
        new OTLPTraceExporter({ url: `${url}/v1/traces`, headers: { api_key: key, authorization: `Bearer ${key}` } }),
      ),
    ],
  });
  return { tracer: provider.getTracer(`arize_phoenix_tracer_${PROJECT}`), flush: () => provider.forceFlush() };
}

function ensureRoot(tracer: Tracer, difyTraceId: string): Context {
  const root = tracer.startSpan('Dify');
  root.setAttribute('openinference.span.kind', 'CHAIN');
  root.setAttribute('dify_project_name', PROJECT);
  root.setAttribute('dify_trace_id', difyTraceId);
  const parent = otelTrace.setSpan(context.active(), root);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return parent;
}

function failed(span: OtelSpan, error: string) {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.addEvent('exception', { 'exception.type': 'str', 'exception.message': error, 'exception.escaped': false });
}

const llmAttributes = (prompt: string, tokens: [number, number]) => ({
  'llm.provider': 'langgenius/openai/openai',
  'llm.model_name': 'gpt-4o',
  'llm.token_count.total': tokens[0] + tokens[1],
  'llm.token_count.prompt': tokens[0],
  'llm.token_count.completion': tokens[1],
  'llm.input_messages.0.message.role': 'system',
  'llm.input_messages.0.message.content': 'You answer questions about orders.',
  'llm.input_messages.1.message.role': 'user',
  'llm.input_messages.1.message.content': prompt,
});

/** A workflow app run: start → knowledge retrieval → LLM → tool → a code node that fails. */
function workflowRun(tracer: Tracer) {
  const root = ensureRoot(tracer, 'run-7f3a');
  // One clock reading for the whole run, so that each node lasts exactly what it is given.
  const started = minutesAgo(10).getTime();
  const metadata = { app_id: 'app-1', tenant_id: 't-1', user_id: 'end-user-42', workflow_run_id: 'run-7f3a', created_from: 'Dify' };
  const workflow = tracer.startSpan(
    'workflow',
    {
      attributes: {
        'openinference.span.kind': 'CHAIN',
        'input.value': json({ query: 'Where is order 1042?' }),
        'input.mime_type': 'application/json',
        'output.value': json({}),
        'output.mime_type': 'application/json',
        metadata: json({ ...metadata, trace_entity_type: 'workflow', status: 'failed' }),
        'session.id': '',
      },
      startTime: new Date(started),
    },
    root,
  );
  const parent = otelTrace.setSpan(context.active(), workflow);
  const node = (
    type: string,
    kind: string,
    start: number,
    seconds: number,
    extra: Record<string, string | number> = {},
    error?: string,
  ) => {
    const span = tracer.startSpan(
      type,
      {
        attributes: {
          'openinference.span.kind': kind,
          'input.value': json({ query: 'Where is order 1042?' }),
          'input.mime_type': 'application/json',
          'output.value': json(type === 'llm' ? { text: 'Order 1042 left the warehouse today.', finish_reason: 'stop' } : { ok: !error }),
          'output.mime_type': 'application/json',
          metadata: json({ node_type: type, app_id: 'app-1', status: error ? 'failed' : 'succeeded' }),
          'session.id': '',
          ...extra,
        },
        startTime: new Date(started + start * 1000),
      },
      parent,
    );
    if (error) failed(span, error);
    else span.setStatus({ code: SpanStatusCode.OK });
    span.end(new Date(started + (start + seconds) * 1000));
  };
  node('knowledge-retrieval', 'RETRIEVER', 0, 0.4);
  node('llm', 'LLM', 0.5, 2.1, {
    ...llmAttributes('Where is order 1042?', [320, 24]),
    'input.value': json([{ role: 'user', text: 'Where is order 1042?' }]),
  });
  node('tool', 'TOOL', 2.7, 0.3);
  node('code', 'CHAIN', 3.1, 0.1, {}, 'ValueError: order status unknown');
  failed(workflow, 'Node code run failed: ValueError: order status unknown');
  workflow.end(new Date(started + 3300));
}

/** One message of a chat app: root, "message" CHAIN span and its "llm" child. */
function chatMessage(tracer: Tracer, messageId: string, query: string, answer: string, startedMinutesAgo: number) {
  const root = ensureRoot(tracer, messageId);
  const metadata = {
    message_id: messageId,
    conversation_id: 'conv-9d2',
    end_user_id: 'visitor-7',
    user_id: '',
    gen_ai_server_time_to_first_token: 0.42,
    trace_entity_type: 'message',
  };
  const start = minutesAgo(startedMinutesAgo);
  const end = new Date(start.getTime() + 1800);
  const message = tracer.startSpan(
    'message',
    {
      attributes: {
        'openinference.span.kind': 'CHAIN',
        'input.value': query,
        'input.mime_type': 'text/plain',
        'output.value': answer,
        'output.mime_type': 'text/plain',
        metadata: json(metadata),
        'session.id': 'conv-9d2',
      },
      startTime: start,
    },
    root,
  );
  const llm = tracer.startSpan(
    'llm',
    {
      attributes: {
        'openinference.span.kind': 'LLM',
        'input.value': json({ query }),
        'output.value': answer,
        metadata: json(metadata),
        'session.id': 'conv-9d2',
        ...llmAttributes(query, [210, 18]),
      },
      startTime: start,
    },
    otelTrace.setSpan(context.active(), message),
  );
  llm.setStatus({ code: SpanStatusCode.OK });
  llm.end(end);
  message.setStatus({ code: SpanStatusCode.OK });
  message.end(end);
}

/**
 * The trace Dify sends once per chat conversation when it names it (generate_name_trace): a root of its
 * own (its Dify trace id is the conversation id), then one CHAIN span with the first message as input
 * and the name as output, both JSON strings, under the conversation's session.
 */
function conversationName(tracer: Tracer, query: string, name: string, startedMinutesAgo: number) {
  const root = ensureRoot(tracer, 'conv-9d2');
  const start = minutesAgo(startedMinutesAgo);
  const span = tracer.startSpan(
    'generate_conversation_name',
    {
      attributes: {
        'openinference.span.kind': 'CHAIN',
        'input.value': json(query),
        'input.mime_type': 'application/json',
        'output.value': json(name),
        'output.mime_type': 'application/json',
        metadata: json({
          conversation_id: 'conv-9d2',
          created_from: 'Dify',
          trace_id: '',
          message_id: '',
          status: 'normal',
          status_message: '',
          level: 'DEFAULT',
          trace_entity_type: 'generate_name',
          model_provider: 'langgenius/openai/openai',
          model_id: 'gpt-4o',
          tenant_id: 't-1',
        }),
        'session.id': 'conv-9d2',
      },
      startTime: start,
    },
    root,
  );
  span.setStatus({ code: SpanStatusCode.OK });
  span.end(new Date(start.getTime() + 900));
}

const TRACES = `query($appId: String) { traces(filter: { appId: $appId }, first: 10) { nodes { traceId name hasRoot appId sessionId userId status spanCount llmCallCount inputTokens outputTokens totalCost durationMs } } }`;
const TRACE = `query($id: String!) { trace(traceId: $id) { traceId name status userId durationMs
  spans { spanId parentSpanId name kind status errorMessage durationMs provider model inputTokens outputTokens cost input output
          log { id eventId provider model userId costSource metadata spanId trace { traceId } } } } }`;

describe.each(testDatabases())("Dify's tracing on $name", (database) => {
  const sut = useTestLumen(database);
  let ingestKey: string;
  beforeAll(async () => {
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
    const dify = difyTracer(sut.url, ingestKey);
    workflowRun(dify.tracer);
    chatMessage(dify.tracer, 'msg-1', 'Where is my order?', 'It ships today.', 30);
    conversationName(dify.tracer, 'Where is my order?', 'Order delivery status', 29.9);
    chatMessage(dify.tracer, 'msg-2', 'And the invoice?', 'It is in your account.', 20);
    await dify.flush();
  });

  const traces = async () =>
    (await sut.gql<{ traces: { nodes: Record<string, unknown>[] } }>(TRACES, { appId: PROJECT })).data!.traces.nodes;

  it('turns a workflow run into one trace tree: right parents, kinds and the failed node in red', async () => {
    const workflow = (await traces()).find((t) => t.userId === 'end-user-42')!;
    expect(workflow).toMatchObject({
      name: 'Dify',
      hasRoot: true,
      appId: PROJECT,
      sessionId: null,
      status: 'ERROR',
      spanCount: 6,
      llmCallCount: 1,
    });
    const { data } = await sut.gql<{ trace: { spans: Record<string, unknown>[]; durationMs: number } }>(TRACE, { id: workflow.traceId });
    const spans = data!.trace.spans;
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    // Parents before children although the root started last.
    expect(spans.map((s) => s.name)).toEqual(['Dify', 'workflow', 'knowledge-retrieval', 'llm', 'tool', 'code']);
    expect(byName.workflow!.parentSpanId).toBe(byName.Dify!.spanId);
    for (const name of ['knowledge-retrieval', 'llm', 'tool', 'code']) expect(byName[name]!.parentSpanId).toBe(byName.workflow!.spanId);
    expect(spans.map((s) => s.kind)).toEqual(['CHAIN', 'CHAIN', 'RETRIEVER', 'LLM', 'TOOL', 'CHAIN']);
    expect(byName.code).toMatchObject({ status: 'ERROR', errorMessage: 'ValueError: order status unknown' });
    expect(byName.llm).toMatchObject({ durationMs: 2100, provider: 'openai', model: 'gpt-4o', inputTokens: 320, outputTokens: 24 });
    // The trace lasts from its first span's start to its last span's end (the root's, at export time).
    expect(data!.trace.durationMs).toBeGreaterThanOrEqual(10 * 60_000 - 1000);
  });

  it('stores the model call as a priced log linked both ways to its span, with the provider plugin id kept', async () => {
    const workflow = (await traces()).find((t) => t.userId === 'end-user-42')!;
    const { data } = await sut.gql<{
      trace: { spans: { name: string; spanId: string; cost: string; log: Record<string, unknown> | null }[] };
    }>(TRACE, { id: workflow.traceId });
    const llm = data!.trace.spans.find((s) => s.name === 'llm')!;
    expect(llm.log).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      // Dify names the end user on the workflow span only, which is exported after its nodes: the trace has it, the call does not.
      userId: null,
      spanId: llm.spanId,
      trace: { traceId: workflow.traceId },
      metadata: expect.objectContaining({ 'llm.provider_id': 'langgenius/openai/openai' }),
    });
    expect(llm.log!.costSource).not.toBe('UNPRICED');
    expect(Number(llm.cost)).toBeGreaterThan(0);
    expect(workflow.totalCost).toBe(llm.cost);
    expect(data!.trace.spans.filter((s) => s.name !== 'llm').every((s) => s.log === null)).toBe(true);
  });

  it('gathers a two-message conversation into one session with two traces, its turns and negative feedback', async () => {
    // The two messages, and the trace in which Dify named the conversation: a trace of its own, no model call in it.
    const inSession = (await traces()).filter((t) => t.sessionId === 'conv-9d2');
    expect(inSession).toHaveLength(3);
    const messages = inSession.filter((t) => t.llmCallCount === 1);
    expect(messages).toHaveLength(2);
    expect(messages.every((t) => t.userId === 'visitor-7' && t.status === 'OK')).toBe(true);
    const naming = inSession.find((t) => t.llmCallCount === 0)!;
    const namingTrace = (await sut.gql<{ trace: { spans: { name: string; output: string }[] } }>(TRACE, { id: naming.traceId })).data!
      .trace;
    expect(namingTrace.spans.map((s) => [s.name, s.output])).toEqual([
      ['Dify', null],
      ['generate_conversation_name', json('Order delivery status')],
    ]);

    // The session has the two turns and the name; the naming trace is none of its turns.
    const sessions = await sut.gql<{ sessions: { nodes: Record<string, unknown>[] } }>(
      `query($appId: String) { sessions(filter: { appId: $appId }) { nodes { sessionId name userId traceCount llmCallCount totalTokens errorCount totalCost } } }`,
      { appId: PROJECT },
    );
    expect(sessions.data!.sessions.nodes).toEqual([
      expect.objectContaining({
        sessionId: 'conv-9d2',
        name: 'Order delivery status',
        userId: 'visitor-7',
        traceCount: 2,
        llmCallCount: 2,
        totalTokens: 2 * (210 + 18),
        errorCount: 0,
      }),
    ]);

    // Filtered by its end user, whom the naming trace does not carry, the session keeps its name.
    const byUser = await sut.gql<{ sessions: { nodes: Record<string, unknown>[] } }>(
      `query { sessions(filter: { userId: "visitor-7" }) { nodes { sessionId name traceCount } } }`,
    );
    expect(byUser.data!.sessions.nodes).toEqual([{ sessionId: 'conv-9d2', name: 'Order delivery status', traceCount: 2 }]);

    const session = async () =>
      (
        await sut.gql<{
          session: {
            traces: { traceId: string }[];
            calls: { eventId: string; prompt: string; response: string; timeToFirstTokenMs: number }[];
            negativeFeedback: { comment: string }[];
          };
        }>(
          `query { session(sessionId: "conv-9d2") { traces { traceId } calls { eventId prompt response timeToFirstTokenMs } negativeFeedback { comment } } }`,
        )
      ).data!.session;
    const before = await session();
    expect(before.traces.map((t) => t.traceId).sort()).toEqual(messages.map((t) => t.traceId).sort());
    expect(before.calls.map((c) => c.response)).toEqual(['It ships today.', 'It is in your account.']);
    expect(JSON.parse(before.calls[0]!.prompt)).toEqual([
      { role: 'system', content: 'You answer questions about orders.' },
      { role: 'user', content: 'Where is my order?' },
    ]);
    expect(before.calls[0]!.timeToFirstTokenMs).toBe(420);
    expect(before.negativeFeedback).toEqual([]);

    const submitted = await sut.gql(
      `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }`,
      { input: { logEventId: before.calls[1]!.eventId, rating: 'NEGATIVE', comment: 'No invoice there.' } },
      ingestKey,
    );
    expect(submitted.errors).toBeUndefined();
    expect((await session()).negativeFeedback).toEqual([{ comment: 'No invoice there.' }]);
  });

  it('stores a replayed export once', async () => {
    const before = (await traces()).length;
    const dify = difyTracer(sut.url, ingestKey);
    const spans = await sut.lumen.services.sql.query<{ n: string }>('select count(*)::text as n from span');
    expect(before).toBe(4);
    // The same OTLP request twice (an exporter retrying after a lost answer).
    const body = await fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'openinference.project.name', value: { stringValue: PROJECT } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0af7651916cd43dd8448eb211c80319c',
                    spanId: 'b7ad6b7169203331',
                    name: 'orphan',
                    kind: 1,
                    startTimeUnixNano: '1',
                    endTimeUnixNano: '2',
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(body.status).toBe(200);
    await dify.flush();
    const again = await fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'openinference.project.name', value: { stringValue: PROJECT } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0af7651916cd43dd8448eb211c80319c',
                    spanId: 'b7ad6b7169203331',
                    name: 'orphan',
                    kind: 1,
                    startTimeUnixNano: '1',
                    endTimeUnixNano: '2',
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(again.status).toBe(200);
    const after = await sut.lumen.services.sql.query<{ n: string }>('select count(*)::text as n from span');
    expect(Number(after[0]!.n)).toBe(Number(spans[0]!.n) + 1);
  });
});
