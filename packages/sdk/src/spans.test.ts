import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';

import { Lumen } from './client.js';
import type { LumenError } from './errors.js';
import { CHAT_MODEL, CHAT_TEXT, startFakeOpenAI, type FakeOpenAI } from './test/fake-openai.js';
import { createIngestKey, eventually, gql, storedLogs, uniqueAppId } from './test/lumen-api.js';
import { startScriptedProxy, type ScriptedProxy } from './test/scripted-proxy.js';
import { spanRecordingFetch, type ExportedSpan } from './test/span-recorder.js';

const HOUR = 3_600_000;

class LookupFailed extends Error {}

const TRACE = `query($traceId: String!) {
  trace(traceId: $traceId) {
    traceId name appId sessionId userId status spanCount llmCallCount inputTokens outputTokens
    spans { spanId parentSpanId name kind status errorMessage input output log { eventId spanId traceId model tags } }
  }
}`;

interface StoredTrace {
  traceId: string;
  name: string | null;
  appId: string | null;
  sessionId: string | null;
  userId: string | null;
  status: string;
  spanCount: number;
  llmCallCount: number;
  inputTokens: number;
  outputTokens: number;
  spans: {
    spanId: string;
    parentSpanId: string | null;
    name: string;
    kind: string;
    status: string;
    errorMessage: string | null;
    input: string | null;
    output: string | null;
    log: { eventId: string; spanId: string | null; traceId: string | null; model: string; tags: string[] } | null;
  }[];
}

/** The spans by name; each name is used once per test. */
const byName = (spans: ExportedSpan[]) => Object.fromEntries(spans.map((span) => [span.name, span]));

describe('Lumen.observe spans', () => {
  let apiKey: string;
  let fake: FakeOpenAI;
  let openai: OpenAI;
  let sut: Lumen | undefined;
  let proxy: ScriptedProxy | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
    fake = await startFakeOpenAI();
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await fake?.close();
  });
  afterEach(async () => {
    await sut?.shutdown();
    await proxy?.close();
    sut = undefined;
    proxy = undefined;
  });

  function client(appId: string) {
    const recorder = spanRecordingFetch();
    const errors: LumenError[] = [];
    sut = new Lumen({ apiKey, endpoint: inject('lumenUrl'), appId, fetch: recorder.fetch, logger: null, onError: (e) => errors.push(e) });
    return { sut, recorder, errors };
  }

  it('makes a span opened inside another its child, and an OpenAI call inside it an LLM child linked to its log', async () => {
    const appId = uniqueAppId('nested');
    const { sut, recorder, errors } = client(appId);
    const chat = sut.wrapOpenAI(openai);

    const answer = await sut.observe(
      { name: 'support-agent', kind: 'AGENT', input: 'Where is order 7?', sessionId: 'conv-1', userId: 'u-1' },
      async () => {
        const order = await sut.observe({ name: 'find-order', kind: 'RETRIEVER', input: { orderId: 7 } }, async () => ({
          status: 'shipped',
        }));
        await sut.observe({ name: 'carrier-api', kind: 'TOOL' }, async () => 'in transit');
        const completion = await chat.chat.completions.create({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: `Order is ${order.status}` }],
        });
        return completion.choices[0]!.message.content;
      },
    );
    await sut.flush();

    expect(answer).toBe(CHAT_TEXT.join(''));
    expect(errors).toEqual([]);
    const spans = byName(recorder.spans);
    const agent = spans['support-agent']!;
    const llm = spans['openai.chat']!;
    expect(Object.keys(spans).sort()).toEqual(['carrier-api', 'find-order', 'openai.chat', 'support-agent']);
    expect(agent.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(agent.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(agent.parentSpanId).toBeUndefined();
    for (const child of [spans['find-order']!, spans['carrier-api']!, llm]) {
      expect(child.traceId).toBe(agent.traceId);
      expect(child.parentSpanId).toBe(agent.spanId);
      expect(child.attributes).toMatchObject({ 'session.id': 'conv-1', 'user.id': 'u-1', 'lumen.app_id': appId });
    }
    expect(Object.values(spans).map((span) => [span.name, span.attributes['openinference.span.kind']])).toEqual(
      expect.arrayContaining([
        ['support-agent', 'AGENT'],
        ['find-order', 'RETRIEVER'],
        ['carrier-api', 'TOOL'],
        ['openai.chat', 'LLM'],
      ]),
    );
    expect(agent.attributes).toMatchObject({
      'input.value': 'Where is order 7?',
      'output.value': CHAT_TEXT.join(''),
      'output.mime_type': 'text/plain',
    });
    expect(spans['find-order']!.attributes).toMatchObject({ 'input.value': '{"orderId":7}', 'output.value': '{"status":"shipped"}' });
    expect(agent.status).toEqual({ code: 1 });
    expect(agent.resource).toMatchObject({ 'service.name': appId, 'lumen.app_id': appId });
    expect(BigInt(agent.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(llm.endTimeUnixNano));
    expect(llm.attributes).toMatchObject({
      'llm.model_name': CHAT_MODEL,
      'llm.provider': 'openai',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 5,
      'llm.token_count.total': 26,
      'output.value': CHAT_TEXT.join(''),
    });

    const [log] = await storedLogs(appId);
    expect(log).toMatchObject({
      eventId: llm.attributes['lumen.event_id'],
      traceId: agent.traceId,
      sessionId: 'conv-1',
      userId: 'u-1',
      model: CHAT_MODEL,
      spanId: llm.spanId,
    });
  });

  it('records a failed step as an ERROR span and rethrows its error untouched', async () => {
    const { sut, recorder } = client(uniqueAppId('failed-step'));
    const thrown = new LookupFailed('order 7 not found');

    const run = sut.observe({ name: 'workflow' }, async () => {
      await sut.observe({ name: 'lookup', kind: 'TOOL' }, async () => {
        throw thrown;
      });
    });

    await expect(run).rejects.toBe(thrown);
    await sut.flush();
    const spans = byName(recorder.spans);
    expect(spans.lookup).toMatchObject({ status: { code: 2, message: 'order 7 not found' }, attributes: { 'error.type': 'LookupFailed' } });
    expect(spans.workflow).toMatchObject({
      status: { code: 2, message: 'order 7 not found' },
      attributes: { 'openinference.span.kind': 'CHAIN' },
    });
    expect(spans.lookup!.parentSpanId).toBe(spans.workflow!.spanId);
  });

  it('keeps concurrent traces apart', async () => {
    const { sut, recorder } = client(uniqueAppId('concurrent'));
    const step = (name: string) => sut.observe({ name, kind: 'TOOL' }, () => new Promise((resolve) => setTimeout(resolve, 5)));

    await Promise.all(
      ['a', 'b'].map((root) =>
        sut.observe({ name: root, kind: 'AGENT' }, async () => {
          await Promise.all([step(`${root}-1`), step(`${root}-2`)]);
          await step(`${root}-3`);
        }),
      ),
    );
    await sut.flush();

    const spans = byName(recorder.spans);
    expect(spans.a!.traceId).not.toBe(spans.b!.traceId);
    for (const root of ['a', 'b'])
      for (const child of [`${root}-1`, `${root}-2`, `${root}-3`]) {
        expect(spans[child]!.parentSpanId).toBe(spans[root]!.spanId);
        expect(spans[child]!.traceId).toBe(spans[root]!.traceId);
      }
  });

  it('keeps every span within its parent when the wall clock steps back during the trace', async () => {
    const { sut, recorder, errors } = client(uniqueAppId('clock-step'));
    const chat = sut.wrapOpenAI(openai);
    // Only Date is faked: the monotonic clock (performance.now) and the timers run as they do.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      await sut.observe({ name: 'agent', kind: 'AGENT' }, async () => {
        await sut.observe({ name: 'before-step', kind: 'TOOL' }, () => new Promise((resolve) => setTimeout(resolve, 5)));
        // The wall clock is set back a minute, as a time synchronisation may step it.
        vi.setSystemTime(Date.now() - 60_000);
        await sut.observe({ name: 'after-step', kind: 'TOOL' }, async () => {
          await chat.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Where is order 7?' }] });
        });
      });
    } finally {
      vi.useRealTimers();
    }
    await sut.flush();

    expect(errors).toEqual([]);
    const spans = byName(recorder.spans);
    expect(Object.keys(spans).sort()).toEqual(['after-step', 'agent', 'before-step', 'openai.chat']);
    const parentOf = { 'before-step': 'agent', 'after-step': 'agent', 'openai.chat': 'after-step' } as const;
    for (const [name, parentName] of Object.entries(parentOf)) {
      const [child, parent] = [spans[name]!, spans[parentName]!];
      expect(child.parentSpanId).toBe(parent.spanId);
      expect(BigInt(child.startTimeUnixNano), `${name} starts within ${parentName}`).toBeGreaterThanOrEqual(
        BigInt(parent.startTimeUnixNano),
      );
      expect(BigInt(child.endTimeUnixNano), `${name} ends within ${parentName}`).toBeLessThanOrEqual(BigInt(parent.endTimeUnixNano));
    }
    expect(BigInt(spans['after-step']!.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(spans['before-step']!.endTimeUnixNano));
  });

  it('logs a model call observed inside a span as an LLM child, and nothing as a log for other steps', async () => {
    const appId = uniqueAppId('observed-llm');
    const { sut, recorder } = client(appId);

    await sut.observe({ name: 'rag', kind: 'CHAIN' }, () =>
      sut.observe(
        {
          provider: 'anthropic',
          model: 'claude-sonnet-4',
          prompt: 'Summarise',
          extract: () => ({ response: 'Short.', inputTokens: 40, outputTokens: 3 }),
        },
        async () => 'done',
      ),
    );
    await sut.flush();

    const spans = byName(recorder.spans);
    const llm = spans['anthropic.call']!;
    expect(llm.parentSpanId).toBe(spans.rag!.spanId);
    expect(llm.attributes).toMatchObject({
      'openinference.span.kind': 'LLM',
      'input.value': 'Summarise',
      'output.value': 'Short.',
      'llm.token_count.prompt': 40,
    });
    const logs = await storedLogs(appId);
    expect(logs.map((log) => [log.eventId, log.traceId, log.response])).toEqual([
      [llm.attributes['lumen.event_id'], spans.rag!.traceId, 'Short.'],
    ]);
  });

  it('sends spans in batches and retries them like logs', async () => {
    const appId = uniqueAppId('span-retry');
    proxy = await startScriptedProxy(inject('lumenUrl'), [
      { reply: 503, headers: { 'retry-after': '0' }, body: { code: 14, message: 'The database is unavailable; retry shortly' } },
    ]);
    sut = new Lumen({
      apiKey,
      endpoint: proxy.url,
      appId,
      logger: null,
      flushIntervalMs: HOUR,
      batchSize: 2,
      backoffBaseMs: 1,
      backoffCapMs: 5,
    });

    for (const name of ['one', 'two', 'three']) await sut.observe({ name }, () => name);
    await sut.flush();

    const exports = proxy.requests.map(
      (request) => (request.body as unknown as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }).resourceSpans,
    );
    expect(exports.map((resources) => resources[0]!.scopeSpans[0]!.spans.map((span) => span.name))).toEqual([
      ['one', 'two'],
      ['one', 'two'],
      ['three'],
    ]);
    expect(sut.stats()).toMatchObject({ spansQueued: 0, spansSent: 3, spansFailed: 0, retries: 1 });
  });

  it('shows a nested observe() with an OpenAI call inside as one tree through the trace query, the LLM span linked to its log', async () => {
    const appId = uniqueAppId('tree');
    const { sut, recorder } = client(appId);
    const chat = sut.wrapOpenAI(openai, { tags: ['from-sdk'] });

    await sut.observe(
      { name: 'agent', kind: 'AGENT', input: 'Where is order 7?', sessionId: 'conversation-tree', userId: 'u-7' },
      async () => {
        await sut.observe({ name: 'plan', kind: 'CHAIN' }, async () => {
          await sut.observe({ name: 'search', kind: 'RETRIEVER', input: 'order 7' }, async () => ['order 7: shipped']);
          await chat.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Order 7 shipped?' }] });
        });
        await sut
          .observe({ name: 'send-email', kind: 'TOOL' }, async () => {
            throw new Error('SMTP refused');
          })
          .catch(() => undefined);
        return 'It shipped.';
      },
    );
    await expect(sut.flush()).resolves.toBe(true);

    const traceId = recorder.spans[0]!.traceId;
    const trace = await eventually(async () => {
      const { trace } = await gql<{ trace: StoredTrace | null }>(TRACE, { traceId });
      expect(trace?.spanCount).toBe(5);
      return trace!;
    });
    expect(trace).toMatchObject({
      name: 'agent',
      appId,
      sessionId: 'conversation-tree',
      userId: 'u-7',
      status: 'ERROR',
      llmCallCount: 1,
      inputTokens: 21,
      outputTokens: 5,
    });
    const nameOf = new Map(trace.spans.map((span) => [span.spanId, span.name]));
    const tree = trace.spans.map((span) => [span.name, span.kind, span.parentSpanId ? nameOf.get(span.parentSpanId) : null, span.status]);
    expect(tree).toEqual(
      expect.arrayContaining([
        ['agent', 'AGENT', null, 'OK'],
        ['plan', 'CHAIN', 'agent', 'OK'],
        ['search', 'RETRIEVER', 'plan', 'OK'],
        ['openai.chat', 'LLM', 'plan', 'OK'],
        ['send-email', 'TOOL', 'agent', 'ERROR'],
      ]),
    );
    // Parents before children.
    const position = new Map(trace.spans.map((span, index) => [span.spanId, index]));
    for (const span of trace.spans) if (span.parentSpanId) expect(position.get(span.parentSpanId)).toBeLessThan(position.get(span.spanId)!);
    const spans = Object.fromEntries(trace.spans.map((span) => [span.name, span]));
    expect(spans['send-email']!.errorMessage).toBe('SMTP refused');
    expect(spans.agent).toMatchObject({ input: 'Where is order 7?', output: 'It shipped.' });
    const llm = spans['openai.chat']!;
    expect(llm.log).toEqual({
      eventId: `otlp-${traceId}-${llm.spanId}`,
      spanId: llm.spanId,
      traceId,
      model: CHAT_MODEL,
      tags: ['from-sdk'],
    });
    // One log for the call: the SDK's, not a second one made from its span.
    expect((await storedLogs(appId)).map((log) => log.eventId)).toEqual([llm.log!.eventId]);
  });
});
