import type { Message } from 'protobufjs';
import { ExportTraceServiceRequest } from './otlp.proto.js';

/** An attribute value as OTLP carries it, decoded to plain JSON. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

/** One span with its resource and scope, decoded from either OTLP encoding. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Attributes;
  events: { name: string; timeNanos: bigint; attributes: Attributes }[];
  status: { code: number; message: string };
  resource: Attributes;
  scope: { name: string; version: string };
}

export class OtlpPayloadError extends Error {}

type Raw = Record<string, unknown>;

/** Decodes an OTLP/HTTP protobuf body (ExportTraceServiceRequest). */
export function decodeProtobuf(body: Buffer): OtlpSpan[] {
  let message: Message;
  try {
    message = ExportTraceServiceRequest.decode(body);
  } catch (error) {
    throw new OtlpPayloadError(`not a valid ExportTraceServiceRequest: ${(error as Error).message}`);
  }
  const plain = ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, defaults: false, arrays: true });
  return normalize(plain as Raw, (base64) => Buffer.from(base64, 'base64').toString('hex'));
}

/** Decodes an OTLP/HTTP JSON body, where ids are hex strings and 64-bit integers may be strings. */
export function decodeJson(body: Buffer): OtlpSpan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new OtlpPayloadError('the body is not valid JSON');
  }
  if (!isObject(parsed)) throw new OtlpPayloadError('the body must be an ExportTraceServiceRequest object');
  return normalize(parsed, (hex) => hex.toLowerCase());
}

function normalize(request: Raw, id: (value: string) => string): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const resourceSpans of list(request.resourceSpans, 'resourceSpans')) {
    const resource = attributes(isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined);
    for (const scopeSpans of list(resourceSpans.scopeSpans, 'scopeSpans')) {
      const scope = isObject(scopeSpans.scope) ? scopeSpans.scope : {};
      for (const span of list(scopeSpans.spans, 'spans')) {
        const status = isObject(span.status) ? span.status : {};
        spans.push({
          traceId: typeof span.traceId === 'string' ? id(span.traceId) : '',
          spanId: typeof span.spanId === 'string' ? id(span.spanId) : '',
          parentSpanId: typeof span.parentSpanId === 'string' && span.parentSpanId !== '' ? id(span.parentSpanId) : null,
          name: typeof span.name === 'string' ? span.name : '',
          kind: Number(span.kind ?? 0),
          startNanos: nanos(span.startTimeUnixNano),
          endNanos: nanos(span.endTimeUnixNano),
          attributes: attributes(span.attributes),
          events: list(span.events, 'events').map((event) => ({
            name: typeof event.name === 'string' ? event.name : '',
            timeNanos: nanos(event.timeUnixNano),
            attributes: attributes(event.attributes),
          })),
          status: { code: Number(status.code ?? 0), message: typeof status.message === 'string' ? status.message : '' },
          resource,
          scope: { name: String(scope.name ?? ''), version: String(scope.version ?? '') },
        });
      }
    }
  }
  return spans;
}

function list(value: unknown, field: string): Raw[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) throw new OtlpPayloadError(`${field} must be an array of objects`);
  return value;
}

function nanos(value: unknown): bigint {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return 0n;
}

function attributes(value: unknown): Attributes {
  const result: Attributes = {};
  if (!Array.isArray(value)) return result;
  for (const entry of value) {
    if (isObject(entry) && typeof entry.key === 'string') result[entry.key] = anyValue(entry.value);
  }
  return result;
}

function anyValue(value: unknown): AttributeValue {
  if (!isObject(value)) return null;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (isObject(value.arrayValue)) return Array.isArray(value.arrayValue.values) ? value.arrayValue.values.map(anyValue) : [];
  if (isObject(value.kvlistValue)) return attributes(value.kvlistValue.values);
  if (typeof value.bytesValue === 'string') return value.bytesValue;
  return null;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
