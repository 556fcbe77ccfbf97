import { describe, expect, it } from 'vitest';

import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { otlpProtobuf, otlpRequest } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { ExportTraceServiceResponse } from './otlp.proto.js';

const hex = (bytes: number) =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
const NOW_NANOS = BigInt(Date.now() - 60_000) * 1_000_000n;
const DAY_NANOS = 86_400_000_000_000n;

type Attribute = { key: string; value: Record<string, unknown> };

/** A GenAI span as OTLP/JSON carries it; `extra` attributes and a duration override the defaults. */
function chatSpan(extra: Attribute[] = [], durationNanos = 750_000_000n) {
  return {
    traceId: hex(16),
    spanId: hex(8),
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: String(NOW_NANOS),
    endTimeUnixNano: String(NOW_NANOS + durationNanos),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '10' } },
      ...extra,
    ],
  };
}

describe.each(testDatabases())('OTLP with bad spans ($name)', (database) => {
  const sut = useTestLumen(database, { env: 'production', limits: { ...loadConfig({}).limits, otlpMaxSpans: 20 } });

  const post = (body: Buffer | string, type = 'application/json') =>
    fetch(`${sut.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${sut.adminKey}`, 'content-type': type }, body });
  const storedFor = async (appId: string) =>
    Number((await sut.lumen.services.sql.query<{ n: string }>('select count(*) as n from app_log where app_id = $1', [appId]))[0]!.n);

  it('counts each bad span in partialSuccess and stores the good ones (JSON)', async () => {
    const spans = [
      chatSpan(),
      chatSpan([{ key: 'gen_ai.usage.input_tokens', value: { intValue: '3000000000' } }]),
      chatSpan([], 30n * DAY_NANOS),
      chatSpan([{ key: 'note', value: { stringValue: 'x\ud800' } }]),
      chatSpan([{ key: 'nested', value: { stringValue: '__DEEP__' } }]),
      chatSpan(),
    ];
    // 10,000 nested kvlists: more than JSON.stringify can write, so the body is spliced.
    const deep = `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(10_000)}{"stringValue":"leaf"}${'}]}}'.repeat(10_000)}`;
    const body = JSON.stringify(otlpRequest('bad-spans-json', spans)).replace('{"stringValue":"__DEEP__"}', deep);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const answer = (await response.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe(4);
    expect(answer.partialSuccess.errorMessage).toMatch(
      /span 1: inputTokens .*span 2: latencyMs .*span 3: metadata .*span 4: attributes are nested/,
    );
    expect(await storedFor('bad-spans-json')).toBe(2);
  });

  it('counts bad spans in partialSuccess over protobuf too', async () => {
    const spans = [
      chatSpan(),
      chatSpan([{ key: 'gen_ai.usage.input_tokens', value: { intValue: '3000000000' } }]),
      chatSpan([], 30n * DAY_NANOS),
    ];
    const response = await post(otlpProtobuf(otlpRequest('bad-spans-proto', spans)), 'application/x-protobuf');
    expect(response.status).toBe(200);
    const answer = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(Buffer.from(await response.arrayBuffer())), {
      longs: Number,
    }) as { partialSuccess: { rejectedSpans: number } };
    expect(answer.partialSuccess.rejectedSpans).toBe(2);
    expect(await storedFor('bad-spans-proto')).toBe(1);
  });

  it('refuses a request over OTLP_MAX_SPANS_PER_REQUEST with 413', async () => {
    const response = await post(
      JSON.stringify(
        otlpRequest(
          'too-many',
          Array.from({ length: 21 }, () => chatSpan()),
        ),
      ),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ code: 3, message: expect.stringContaining('at most 20 spans per request') });
    expect(await storedFor('too-many')).toBe(0);
  });
});
