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

/** A span that could be read from the request but not used; the others of the request still are. */
export interface BadSpan {
  /** Position of the span in the request, from 0. */
  index: number;
  message: string;
}

export interface DecodedSpans {
  spans: OtlpSpan[];
  /** Spans refused while decoding, by their position among all spans of the request. */
  bad: BadSpan[];
  /** Position of each decoded span among all spans of the request. */
  positions: number[];
}

// Attribute values nest (arrays, kvlists); deeper than this is no real instrumentation's and is refused.
export const MAX_ATTRIBUTE_DEPTH = 16;

class SpanProblem extends Error {}

type Raw = Record<string, unknown>;

/** Decodes an OTLP/HTTP JSON body, where ids are hex strings and 64-bit integers may be strings. */
export function decodeJson(body: Buffer, maxSpans: number): DecodedSpans {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new OtlpPayloadError('the body is not valid JSON');
  }
  if (!isObject(parsed)) throw new OtlpPayloadError('the body must be an ExportTraceServiceRequest object');
  return normalize(parsed, maxSpans);
}

/** Thrown when a request holds more spans than OTLP_MAX_SPANS_PER_REQUEST. */
export class TooManySpansError extends Error {
  constructor(readonly limit: number) {
    super(`at most ${limit} spans per request (OTLP_MAX_SPANS_PER_REQUEST); export smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`);
  }
}

function normalize(request: Raw, maxSpans: number): DecodedSpans {
  const resourceList = list(request.resourceSpans, 'resourceSpans');
  let total = 0;
  for (const resourceSpans of resourceList)
    for (const scopeSpans of list(resourceSpans.scopeSpans, 'scopeSpans')) total += list(scopeSpans.spans, 'spans').length;
  if (total > maxSpans) throw new TooManySpansError(maxSpans);

  const decoded: DecodedSpans = { spans: [], bad: [], positions: [] };
  let index = 0;
  for (const resourceSpans of resourceList) {
    let resource: Attributes;
    let resourceProblem: string | null = null;
    try {
      resource = attributes(isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined, 0);
    } catch (error) {
      if (!(error instanceof SpanProblem)) throw error;
      resource = {};
      resourceProblem = `resource ${error.message}`;
    }
    for (const scopeSpans of list(resourceSpans.scopeSpans, 'scopeSpans')) {
      const scope = isObject(scopeSpans.scope) ? scopeSpans.scope : {};
      for (const span of list(scopeSpans.spans, 'spans')) {
        const position = index++;
        if (resourceProblem) {
          decoded.bad.push({ index: position, message: resourceProblem });
          continue;
        }
        try {
          decoded.spans.push(toSpan(span, scope, resource));
          decoded.positions.push(position);
        } catch (error) {
          if (!(error instanceof SpanProblem)) throw error;
          decoded.bad.push({ index: position, message: error.message });
        }
      }
    }
  }
  return decoded;
}

function toSpan(span: Raw, scope: Raw, resource: Attributes): OtlpSpan {
  const status = isObject(span.status) ? span.status : {};
  return {
    traceId: typeof span.traceId === 'string' ? span.traceId.toLowerCase() : '',
    spanId: typeof span.spanId === 'string' ? span.spanId.toLowerCase() : '',
    parentSpanId: typeof span.parentSpanId === 'string' && span.parentSpanId !== '' ? span.parentSpanId.toLowerCase() : null,
    name: typeof span.name === 'string' ? span.name : '',
    kind: Number(span.kind ?? 0),
    startNanos: nanos(span.startTimeUnixNano),
    endNanos: nanos(span.endTimeUnixNano),
    attributes: attributes(span.attributes, 0),
    events: list(span.events, 'events').map((event) => ({
      name: typeof event.name === 'string' ? event.name : '',
      timeNanos: nanos(event.timeUnixNano),
      attributes: attributes(event.attributes, 0),
    })),
    status: { code: Number(status.code ?? 0), message: typeof status.message === 'string' ? status.message : '' },
    resource,
    scope: { name: String(scope.name ?? ''), version: String(scope.version ?? '') },
  };
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

function attributes(value: unknown, depth: number): Attributes {
  const result: Attributes = {};
  if (!Array.isArray(value)) return result;
  for (const entry of value) {
    if (isObject(entry) && typeof entry.key === 'string') result[entry.key] = anyValue(entry.value, depth + 1);
  }
  return result;
}

function anyValue(value: unknown, depth: number): AttributeValue {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new SpanProblem(`attributes are nested more than ${MAX_ATTRIBUTE_DEPTH} levels deep`);
  if (!isObject(value)) return null;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (isObject(value.arrayValue))
    return Array.isArray(value.arrayValue.values) ? value.arrayValue.values.map((item) => anyValue(item, depth + 1)) : [];
  if (isObject(value.kvlistValue)) return attributes(value.kvlistValue.values, depth);
  if (typeof value.bytesValue === 'string') return value.bytesValue;
  return null;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
