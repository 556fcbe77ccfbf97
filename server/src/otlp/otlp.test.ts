import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { otlpRequest, otlpSpan } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { ExportTraceServiceResponse } from './otlp.proto.js';

interface LogsPayload {
  logs: {
    nodes: {
      eventId: string;
      provider: string;
      model: string;
      inputTokens: number;
      outputTokens: number;
      latencyMs: number;
      status: string;
      errorMessage: string | null;
      prompt: string | null;
      costSource: string;
      traceId: string;
    }[];
  };
}

describe.each(testDatabases())('OTLP/HTTP traces on $name', (database) => {
  const sut = useTestLumen(database);
  let ingestKey: string;

  const logsOf = async (appId: string) =>
    (
      await sut.gql<LogsPayload>(
        'query($appId: String) { logs(filter: { appId: $appId }) { nodes { eventId provider model inputTokens outputTokens latencyMs status errorMessage prompt costSource traceId } } }',
        { appId },
      )
    ).data!.logs.nodes;

  /** Emits spans through the real OpenTelemetry SDK and exporter, as an instrumented app would. */
  async function emit(exporter: SpanExporter, service: string, record: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    record(provider.getTracer('lumen-test'));
    await provider.forceFlush();
    await provider.shutdown();
  }

  const chatSpan = (
    tracer: ReturnType<BasicTracerProvider['getTracer']>,
    model: string,
    attributes: Record<string, string | number> = {},
  ) => {
    const start = Date.now() - 2_000;
    const span = tracer.startSpan(`chat ${model}`, {
      kind: SpanKind.CLIENT,
      startTime: start,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 100,
        ...attributes,
      },
    });
    span.end(start + 750);
    return span;
  };

  beforeAll(async () => {
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
  });

  it('turns GenAI spans sent as JSON into priced logs and ignores other spans', async () => {
    const exporter = new JsonExporter({ url: `${sut.url}/v1/traces`, headers: { Authorization: `Bearer ${ingestKey}` } });
    await emit(exporter, 'otlp-json', (tracer) => {
      chatSpan(tracer, 'gpt-4o');
      const failed = chatSpan(tracer, 'gpt-4o-mini');
      failed.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
      tracer.startSpan('GET /health').end();
    });
    const logs = await logsOf('otlp-json');
    expect(logs).toHaveLength(2);
    const ok = logs.find((log) => log.model === 'gpt-4o')!;
    expect(ok).toMatchObject({
      provider: 'openai',
      inputTokens: 1000,
      outputTokens: 100,
      latencyMs: 750,
      status: 'SUCCESS',
      costSource: 'BUILTIN',
    });
    expect(ok.eventId).toMatch(/^otlp-[0-9a-f]{32}-[0-9a-f]{16}$/);
    expect(ok.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts protobuf from the protobuf exporter', async () => {
    const exporter = new ProtoExporter({ url: `${sut.url}/v1/traces`, headers: { Authorization: `Bearer ${ingestKey}` } });
    await emit(exporter, 'otlp-proto', (tracer) => {
      chatSpan(tracer, 'claude-sonnet-4-5', {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.input.messages': '[{"role":"user","content":"Hello"}]',
      });
    });
    const [log] = await logsOf('otlp-proto');
    expect(log).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', prompt: '[{"role":"user","content":"Hello"}]' });
  });

  const post = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json', ...headers },
      body,
    });

  const rawSpan = (spanId: string, attributes: object[]) =>
    otlpSpan({ traceId: '5b8efff798038103d269b633813fc60c', spanId, name: 'chat', kind: 3, attributes });
  const genai = [
    { key: 'gen_ai.system', value: { stringValue: 'deepseek' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'deepseek-chat' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '50' } },
  ];

  it('answers partial success: rejected spans counted, every span stored as a span, replays stored once', async () => {
    const body = otlpRequest('otlp-raw', [
      rawSpan('eee19b7ec3c1b174', genai),
      rawSpan('eee19b7ec3c1b175', [...genai.slice(0, 2), { key: 'gen_ai.usage.input_tokens', value: { intValue: '-3' } }]),
      rawSpan('eee19b7ec3c1b176', [{ key: 'http.route', value: { stringValue: '/x' } }]),
    ]);
    const response = await post(JSON.stringify(body), {});
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(1);
    expect(answer.partialSuccess.errorMessage).toContain('inputTokens');
    expect(answer.partialSuccess.errorMessage).not.toContain('ignored');
    expect((await post(JSON.stringify(body), {})).status).toBe(200);
    expect(await logsOf('otlp-raw')).toHaveLength(1);
    const spans = await sut.lumen.services.sql.query<{ span_id: string; kind: string }>(
      "select span_id, kind from span where span_id like 'eee19b7ec3c1b17%' order by span_id",
    );
    expect(spans).toEqual([
      { span_id: 'eee19b7ec3c1b174', kind: 'LLM' },
      { span_id: 'eee19b7ec3c1b175', kind: 'LLM' },
      { span_id: 'eee19b7ec3c1b176', kind: 'OTHER' },
    ]);
  });

  it('reads gzip bodies', async () => {
    const body = gzipSync(JSON.stringify(otlpRequest('otlp-raw', [rawSpan('aaa19b7ec3c1b174', genai)])));
    const response = await post(body, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect((await logsOf('otlp-raw')).length).toBe(2);
  });

  it('answers protobuf requests with a protobuf response', async () => {
    const response = await fetch(`${sut.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/x-protobuf' },
      body: Buffer.alloc(0),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    expect(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(Buffer.from(await response.arrayBuffer())))).toEqual({});
  });

  it('refuses a missing key, a READ key, an unknown content type and a malformed body', async () => {
    const body = JSON.stringify(otlpRequest('otlp-raw', []));
    expect((await fetch(`${sut.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(
      401,
    );
    const readKey = await sut.createKey(ApiKeyRole.READ);
    expect((await post(body, { authorization: `Bearer ${readKey}` })).status).toBe(403);
    expect((await post(body, { 'content-type': 'text/plain' })).status).toBe(415);
    const malformed = await post('{"resourceSpans": 5}', {});
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 3, message: expect.stringContaining('resourceSpans') });
    expect((await post('not json', {})).status).toBe(400);
    expect((await post('garbage', { 'content-type': 'application/x-protobuf' })).status).toBe(400);
  });
  it("stores a request's spans with its model calls in one transaction: when the calls cannot be written, no span is kept", async () => {
    const sql = sut.lumen.services.sql;
    await sql.query(`create function otlp_test_refuse() returns trigger language plpgsql as $$
      begin if new.event_id like '%ddd19b7ec3c1b174%' then raise exception 'refused by the test'; end if; return new; end $$`);
    await sql.query('create trigger otlp_test_refuse before insert on app_log_event for each row execute function otlp_test_refuse()');
    const body = JSON.stringify(
      otlpRequest('otlp-raw', [
        rawSpan('ddd19b7ec3c1b174', genai),
        rawSpan('ddd19b7ec3c1b175', [{ key: 'http.route', value: { stringValue: '/y' } }]),
      ]),
    );
    const spansStored = async () =>
      (await sql.query<{ span_id: string }>("select span_id from span where span_id like 'ddd19b7ec3c1b17%' order by span_id")).map(
        (row) => row.span_id,
      );
    try {
      const failed = await post(body, {});
      expect(failed.status).toBe(500);
      expect(await spansStored()).toEqual([]);
    } finally {
      await sql.query('drop trigger otlp_test_refuse on app_log_event');
      await sql.query('drop function otlp_test_refuse()');
    }
    // The exporter's retry stores both spans and the call once.
    expect((await post(body, {})).status).toBe(200);
    expect(await spansStored()).toEqual(['ddd19b7ec3c1b174', 'ddd19b7ec3c1b175']);
    expect((await logsOf('otlp-raw')).filter((log) => log.eventId.includes('ddd19b7ec3c1b174'))).toHaveLength(1);
  });
});
