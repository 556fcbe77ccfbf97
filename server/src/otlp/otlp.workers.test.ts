import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { otlpProtobuf, otlpRequest } from '../test/factories.js';
import { useTestLumen, type TestLumen } from '../test/lumen.js';
import { OTLP_WORKER_MIN_BYTES, OtlpWorkers } from './otlp.workers.js';

// The worker threads prepare batches for COPY, which only PostgreSQL's driver has.
const databases = testDatabases().filter((database) => database.name === 'postgres');

const defaults = loadConfig({});
const MAX_SPANS = 400;
/** The same settings but for the worker threads: the inline Lumen is the reference. */
const settings = (otlpWorkers: number) => ({
  limits: { ...defaults.limits, otlpWorkers, otlpMaxSpans: MAX_SPANS },
  dataProtection: { ...defaults.dataProtection, redact: ['email' as const] },
});

type Json = Record<string, unknown>;
const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const hex = (seed: string, length: number) => seed.padStart(length, '0');

/**
 * Dify-shaped workflow traces (root `Dify` after its children, workflow, retrieval, a model call, a tool
 * whose output holds a NUL, a failed node), a conversation-naming trace, and one span with a bad id:
 * every kind of span the mapping and the preparation treat apart.
 */
function spans(batch: number, traces: number): Json[] {
  const start = Date.now() - 3_600_000;
  const at = (ms: number) => String(BigInt(start + ms) * 1_000_000n);
  const all: Json[] = [];
  for (let t = 0; t < traces; t++) {
    const traceId = hex(`${batch}f${t}`, 32);
    const id = (n: number) => hex(`${batch}e${t}a${n}`, 16);
    const node = (n: number, name: string, kind: string, attributes: object[], extra: Json = {}) => ({
      traceId,
      spanId: id(n),
      parentSpanId: id(1),
      name,
      kind: 1,
      startTimeUnixNano: at(t * 10 + n),
      endTimeUnixNano: at(t * 10 + n + 300),
      attributes: [text('openinference.span.kind', kind), ...attributes],
      status: { code: 1 },
      ...extra,
    });
    const session = `conversation-${batch}-${t % 7}`;
    all.push(
      node(2, 'knowledge-retrieval', 'RETRIEVER', [
        text('input.value', `{"query":"order ${t}"}`),
        text('output.value', '[{"doc":"refunds"}]'),
      ]),
      node(3, 'llm', 'LLM', [
        text('llm.provider', 'langgenius/openai/openai'),
        text('llm.model_name', 'gpt-4o-mini'),
        int('llm.token_count.prompt', 300 + t),
        int('llm.token_count.completion', 40 + t),
        text('llm.input_messages.0.message.role', 'user'),
        text('llm.input_messages.0.message.content', `write to ann${t}@example.com about order ${t}`),
        text('output.value', `{"text":"Dear customer ${t}, see ann${t}@example.com"}`),
        text('session.id', session),
      ]),
      node(4, 'tool', 'TOOL', [text('input.value', 'lookup'), text('output.value', `found\u0000${t}`)]),
      node(5, 'code', 'CHAIN', [text('input.value', 'x'.repeat(200))], { status: { code: 2, message: `node ${t} failed` } }),
      {
        ...node(1, 'workflow', 'CHAIN', [text('session.id', session), text('metadata', `{"user_id":"user-${t % 5}"}`)]),
        parentSpanId: id(0),
      },
      { ...node(0, 'Dify', 'CHAIN', []), parentSpanId: undefined, startTimeUnixNano: at(t * 10 + 4000) },
    );
  }
  all.push(
    {
      traceId: hex(`${batch}c0`, 32),
      spanId: hex(`${batch}c1`, 16),
      name: 'generate_conversation_name',
      kind: 1,
      startTimeUnixNano: at(5),
      endTimeUnixNano: at(6),
      attributes: [
        text('openinference.span.kind', 'LLM'),
        text('session.id', `conversation-${batch}-0`),
        text('output.value', '"Refund for order 0"'),
      ],
    },
    {
      traceId: hex(`${batch}d0`, 32),
      spanId: 'not-hex',
      name: 'bad',
      kind: 1,
      startTimeUnixNano: at(0),
      endTimeUnixNano: at(1),
      attributes: [],
    },
  );
  return all;
}

/** What a Lumen stored, every column but generated ids, in key order. */
async function stored(sut: TestLumen, traceLike: string) {
  const query = <T extends object>(statement: string) => sut.lumen.services.sql.query<T>(statement, [traceLike]);
  return {
    spans: await query(
      `select trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, error_message, input, output,
              input_truncated, output_truncated, attributes, app_id, session_id, user_id, model, provider, input_tokens, output_tokens
         from span where trace_id like $1 order by trace_id, span_id`,
    ),
    logs: await query(
      `select event_id, ts, app_id, user_id, session_id, trace_id, span_id, provider, model, operation, prompt, response,
              input_tokens, output_tokens, latency_ms, status, error_message, cost, cost_source, metadata
         from app_log where trace_id like $1 order by event_id`,
    ),
    summaries: await query(`select * from trace_summary where trace_id like $1 order by trace_id`),
  };
}

describe.each(databases)('large OTLP requests on worker threads, on $name', (database) => {
  const inline = useTestLumen(database, settings(0));
  const threaded = useTestLumen(database, settings(2));
  const keys = new Map<TestLumen, string>();

  beforeAll(async () => {
    for (const sut of [inline, threaded]) keys.set(sut, await sut.createKey(ApiKeyRole.INGEST));
  });

  const post = async (sut: TestLumen, body: string | Buffer, type = 'application/json') => {
    const response = await fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.get(sut)}`, 'content-type': type },
      body,
    });
    return {
      status: response.status,
      body: type === 'application/json' ? ((await response.json()) as Json) : await response.arrayBuffer(),
    };
  };

  it('stores a large request as the main thread does, and leaves small ones on the main thread', async () => {
    expect(inline.lumen.services.otlpWorkers).toBeNull();
    const workers = threaded.lumen.services.otlpWorkers!;
    const small = JSON.stringify(otlpRequest('dify-workflows', spans(1, 1)));
    expect(small.length).toBeLessThan(OTLP_WORKER_MIN_BYTES);
    expect((await post(threaded, small)).status).toBe(200);
    expect(workers.threads).toBe(0);

    const body = JSON.stringify(otlpRequest('dify-workflows', spans(2, 60)));
    expect(body.length).toBeGreaterThanOrEqual(OTLP_WORKER_MIN_BYTES);
    const [expected, actual] = [await post(inline, body), await post(threaded, body)];
    expect(workers.threads).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(actual.body).toEqual({
      partialSuccess: { rejectedSpans: 1, errorMessage: expect.stringContaining('span 361: traceId, spanId') },
    });

    const rows = await stored(threaded, '%2f%');
    expect(rows).toEqual(await stored(inline, '%2f%'));
    expect([rows.spans.length, rows.logs.length, rows.summaries.length]).toEqual([360, 60, 60]);
    // Redacted, repaired and priced on the worker as on the main thread.
    expect(JSON.stringify(rows)).not.toContain('@example.com');
    expect(rows.spans.filter((span) => (span as { output: string }).output?.startsWith('found'))[0]).toMatchObject({
      output: 'found\uFFFD0',
    });
    expect(rows.logs[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', cost_source: expect.any(String) });
    expect(Number((rows.logs[0] as { cost: string }).cost)).toBeGreaterThan(0);
  });

  it('stores a retried large request once: COPY refuses it and the spans are read again from the body', async () => {
    const body = JSON.stringify(otlpRequest('dify-workflows', spans(3, 60)));
    expect((await post(threaded, body)).status).toBe(200);
    const first = await stored(threaded, '%3f%');
    const retried = await post(threaded, body);
    expect(retried.status).toBe(200);
    expect(await stored(threaded, '%3f%')).toEqual(first);
    expect(first.spans).toHaveLength(360);
  });

  it('decodes protobuf on the worker as JSON on the main thread', async () => {
    const request = otlpRequest('dify-workflows', spans(4, 60));
    const body = otlpProtobuf(request);
    expect(body.length).toBeGreaterThanOrEqual(OTLP_WORKER_MIN_BYTES);
    expect((await post(inline, JSON.stringify(request))).status).toBe(200);
    expect((await post(threaded, body, 'application/x-protobuf')).status).toBe(200);
    expect(await stored(threaded, '%4f%')).toEqual(await stored(inline, '%4f%'));
  });

  it('answers a bad large body as the main thread does: 400 for what cannot be read, 413 for too many spans', async () => {
    const broken = `${JSON.stringify(otlpRequest('dify-workflows', spans(5, 60)))}}`;
    const tooMany = JSON.stringify(otlpRequest('dify-workflows', [...spans(6, 60), ...spans(7, 10)]));
    for (const body of [broken, tooMany]) expect(body.length).toBeGreaterThanOrEqual(OTLP_WORKER_MIN_BYTES);
    expect(await post(threaded, broken)).toEqual(await post(inline, broken));
    expect((await post(threaded, broken)).status).toBe(400);
    expect(await post(threaded, tooMany)).toEqual(await post(inline, tooMany));
    expect((await post(threaded, tooMany)).body).toEqual({
      code: 3,
      message: expect.stringContaining(`at most ${MAX_SPANS} spans per request`),
    });
  });
});

describe('a worker thread that fails', () => {
  it('fails only the request it held, and the next request gets a new thread', async () => {
    // A pattern that cannot compile makes the thread throw as it starts, as a thread that dies would.
    const workers = new OtlpWorkers(
      1,
      { redact: [], redactPatterns: ['('], storeContent: true, contentMaxBytes: 1024, maxSpans: 10, copyMinSpans: 50 },
      pino({ level: 'silent' }),
    );
    try {
      const body = Buffer.from(JSON.stringify(otlpRequest('broken', [])));
      await expect(workers.map('json', body)).rejects.toThrow(/Invalid regular expression/);
      expect(workers.threads).toBe(0);
      await expect(workers.map('json', body)).rejects.toThrow(/Invalid regular expression/);
    } finally {
      await workers.close();
    }
    await expect(workers.map('json', Buffer.alloc(0))).rejects.toThrow('the OTLP workers are closed');
  });
});
