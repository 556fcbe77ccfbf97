import { describe, expect, it } from 'vitest';

import { otlpProtobuf } from '../test/factories.js';
import { decodeJson, OtlpPayloadError, TooManySpansError } from './otlp.decode.js';
import { ExportTraceServiceRequest } from './otlp.proto.js';
import { decodeProtobuf } from './otlp.protobuf.js';

// The JSON decoder is the reference: the same request, encoded both ways, must decode to the same spans.

type Json = Record<string, unknown>;

const nested = (depth: number): Json => (depth === 0 ? { stringValue: 'leaf' } : { arrayValue: { values: [nested(depth - 1)] } });

/** A span as OTLP/JSON carries it, with hex ids. */
function span(id: number, parent: number | null, attributes: Json[] = [], extra: Json = {}): Json {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: `b7ad6b71692033${String(id).padStart(2, '0')}`,
    ...(parent === null ? {} : { parentSpanId: `b7ad6b71692033${String(parent).padStart(2, '0')}` }),
    name: `step ${id}`,
    kind: 3,
    startTimeUnixNano: '1764950400123456789',
    endTimeUnixNano: '1764950401987654321',
    attributes,
    ...extra,
  };
}

const EVERY_VALUE: Json[] = [
  { key: 'text', value: { stringValue: 'héllo, 世界 \u{1F600}' } },
  { key: 'empty text', value: { stringValue: '' } },
  { key: 'yes', value: { boolValue: true } },
  { key: 'no', value: { boolValue: false } },
  { key: 'small', value: { intValue: '42' } },
  { key: 'zero', value: { intValue: '0' } },
  { key: 'negative', value: { intValue: '-7' } },
  { key: 'large', value: { intValue: '9007199254740993' } },
  { key: 'most negative', value: { intValue: '-9223372036854775808' } },
  { key: 'ratio', value: { doubleValue: 0.25 } },
  { key: 'negative ratio', value: { doubleValue: -1e-300 } },
  { key: 'bytes', value: { bytesValue: Buffer.from([0, 1, 254, 255]).toString('base64') } },
  { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }, { boolValue: true }, {}] } } },
  { key: 'empty list', value: { arrayValue: {} } },
  {
    key: 'map',
    value: {
      kvlistValue: { values: [{ key: 'inner', value: { kvlistValue: { values: [{ key: 'deep', value: { doubleValue: 1.5 } }] } } }] },
    },
  },
  { key: 'no value' },
  { key: 'empty value', value: {} },
  { key: 'at the limit', value: nested(15) },
];

function request(resourceSpans: Json[]): Json {
  return { resourceSpans };
}

/** One span alone as protobuf (a Span message), ids as bytes. */
function spanProtobuf(json: Json): Buffer {
  const type = ExportTraceServiceRequest.lookupType('Span');
  const copy: Json = { ...json };
  for (const key of ['traceId', 'spanId', 'parentSpanId']) if (typeof copy[key] === 'string') copy[key] = Buffer.from(copy[key], 'hex');
  return Buffer.from(type.encode(type.fromObject(copy)).finish());
}

const fromJson = (json: Json, max = 1000) => decodeJson(Buffer.from(JSON.stringify(json)), max);

/** A protobuf field: its tag, then the bytes of a length-delimited value. */
function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

describe('decodeProtobuf', () => {
  it('decodes every kind of value, events, status, resources and scopes as the JSON encoding does', () => {
    const json = request([
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeSpans: [
          {
            scope: { name: 'openinference.instrumentation.openai', version: '0.1.20' },
            spans: [
              span(1, null, EVERY_VALUE, {
                events: [
                  {
                    name: 'gen_ai.client.inference.operation.details',
                    timeUnixNano: '1764950401000000001',
                    attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: '[{"role":"user"}]' } }],
                  },
                  { name: 'exception' },
                ],
                status: { code: 2, message: 'the tool failed' },
              }),
              span(2, 1, [], { kind: 0, status: { code: 1 } }),
            ],
          },
          { spans: [span(3, 1)] },
        ],
      },
      { scopeSpans: [{ scope: { name: 'second' }, spans: [span(4, 2, [{ key: 'n', value: { intValue: '3' } }])] }] },
    ]);
    const decoded = decodeProtobuf(otlpProtobuf(json), 1000);
    expect(decoded).toEqual(fromJson(json));
    expect(decoded.spans).toHaveLength(4);
    const first = decoded.spans[0]!;
    expect(first.attributes).toMatchObject({ negative: -7, large: 9007199254740992, bytes: 'AAH+/w==', 'no value': null });
    expect(first.startNanos).toBe(1764950400123456789n);
    expect(first.parentSpanId).toBeNull();
    expect(decoded.spans[1]!.parentSpanId).toBe('b7ad6b7169203301');
    expect(decoded.spans[3]!.resource).toEqual({});
  });

  it('reads a resource and a scope sent after their spans, and skips fields it does not use', () => {
    const spanBytes = Buffer.concat([
      spanProtobuf({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        name: 'late',
        startTimeUnixNano: '1764950400000000000',
        endTimeUnixNano: '1764950400500000000',
      }),
      field(3, Buffer.from('rojo=00f067aa0ba902b7')), // trace_state
      field(13, field(1, Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'))), // a link
      Buffer.from([10 << 3, 5]), // dropped_attributes_count
      Buffer.from([(16 << 3) | 5, 0x85, 0x01]), // flags (fixed32), tag of two bytes
      Buffer.from([1, 0, 0, 0]),
    ]);
    const scope = field(1, Buffer.from('late-scope'));
    const resource = field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from('late-service')))]));
    const resourceSpans = Buffer.concat([
      field(2, Buffer.concat([field(2, spanBytes), field(1, scope), field(3, Buffer.from('https://opentelemetry.io/schemas/1.26.0'))])),
      field(1, resource),
      field(3, Buffer.from('https://opentelemetry.io/schemas/1.26.0')),
    ]);
    const decoded = decodeProtobuf(field(1, resourceSpans), 1000);
    expect(decoded.bad).toEqual([]);
    expect(decoded.spans).toHaveLength(1);
    expect(decoded.spans[0]).toMatchObject({
      name: 'late',
      spanId: 'b7ad6b7169203331',
      resource: { 'service.name': 'late-service' },
      scope: { name: 'late-scope', version: '' },
      endNanos: 1764950400500000000n,
    });
  });

  it('refuses only the span, or the resource, whose values nest too deeply, as the JSON encoding does', () => {
    const resources = (fourth: Json) => [
      { scopeSpans: [{ spans: [span(1, null), span(2, 1, [{ key: 'too deep', value: nested(16) }])] }] },
      { scopeSpans: [{ spans: [span(3, 1, [], { events: [{ name: 'e', attributes: [{ key: 'deep', value: nested(16) }] }] }), fourth] }] },
      { scopeSpans: [{ spans: [span(5, 1)] }] },
      { resource: { attributes: [{ key: 'deep', value: nested(16) }] }, scopeSpans: [{ spans: [span(6, null), span(7, 6)] }] },
    ];
    // The fourth span nests 10,000 levels, more than JSON (or the reference encoder) can write: its
    // bytes are put together here, and the JSON reference carries a span nested 17 levels instead.
    let deep = field(1, Buffer.from('leaf'));
    for (let level = 0; level < 10_000; level++) deep = field(5, field(1, deep));
    const fourth = Buffer.concat([
      spanProtobuf(span(4, 1)),
      field(9, Buffer.concat([field(1, Buffer.from('far too deep')), field(2, deep)])),
    ]);
    const [first, second, third, fifth] = resources(span(4, 1));
    const body = Buffer.concat([
      otlpProtobuf(request([first!])),
      field(
        1,
        Buffer.concat([
          field(2, Buffer.concat([field(2, spanProtobuf((second!.scopeSpans as { spans: Json[] }[])[0]!.spans[0]!)), field(2, fourth)])),
        ]),
      ),
      otlpProtobuf(request([third!, fifth!])),
    ]);
    const decoded = decodeProtobuf(body, 1000);
    expect(decoded.positions).toEqual([0, 4]);
    expect(decoded.bad).toEqual([
      { index: 1, message: 'attributes are nested more than 16 levels deep' },
      { index: 2, message: 'attributes are nested more than 16 levels deep' },
      { index: 3, message: 'attributes are nested more than 16 levels deep' },
      { index: 5, message: 'resource attributes are nested more than 16 levels deep' },
      { index: 6, message: 'resource attributes are nested more than 16 levels deep' },
    ]);
    expect(decoded).toEqual(fromJson(request(resources(span(4, 1, [{ key: 'far too deep', value: nested(16) }])))));
  });

  it('refuses a request over the span limit before decoding its spans', () => {
    const json = request([{ scopeSpans: [{ spans: [span(1, null), span(2, 1)] }, { spans: [span(3, 1)] }] }]);
    expect(() => decodeProtobuf(otlpProtobuf(json), 2)).toThrow(TooManySpansError);
    expect(decodeProtobuf(otlpProtobuf(json), 3).spans).toHaveLength(3);
  });

  it('reads an empty body as no spans', () => {
    expect(decodeProtobuf(Buffer.alloc(0), 10)).toEqual({ spans: [], bad: [], positions: [] });
  });

  it('refuses a body that breaks the wire format', () => {
    const valid = otlpProtobuf(request([{ scopeSpans: [{ spans: [span(1, null, EVERY_VALUE)] }] }]));
    const broken = [
      Buffer.from('garbage'), // wire type 7
      valid.subarray(0, valid.length - 3), // cut short
      field(1, field(2, field(2, Buffer.from([(5 << 3) | 2, 50, 0x41])))), // a name longer than its span
      Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), // a varint of 11 bytes
      Buffer.from([0x0a, 0x80]), // a truncated length
      field(1, field(2, field(2, Buffer.from([(7 << 3) | 1, 1, 2, 3])))), // a timestamp of 3 bytes
    ];
    for (const body of broken) expect(() => decodeProtobuf(body, 1000), body.toString('hex')).toThrow(OtlpPayloadError);
    expect(() => decodeProtobuf(valid, 1000)).not.toThrow();
  });
});
