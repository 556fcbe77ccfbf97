import {
  MAX_ATTRIBUTE_DEPTH,
  OtlpPayloadError,
  TooManySpansError,
  type Attributes,
  type AttributeValue,
  type DecodedSpans,
  type OtlpSpan,
} from './otlp.decode.js';

/*
 * OTLP/HTTP protobuf (ExportTraceServiceRequest, opentelemetry-proto collector/trace/v1) read straight
 * from the wire into spans, the shape decodeJson gives: no intermediate message objects, ids turned to
 * hex from their bytes, timestamps to bigint from their fixed64. Field numbers follow the published
 * .proto files (otlp.proto.ts lists the same subset); fields Lumen does not use (links, dropped counts,
 * trace state, flags, schema URLs) and fields unknown to it are skipped.
 *
 * A body that breaks the wire format anywhere is refused whole, as a protobuf library would. Values
 * nested deeper than MAX_ATTRIBUTE_DEPTH refuse only their span (or their resource's spans), as in JSON.
 */

/** The wire format is broken: the request is refused whole. */
class WireError extends Error {}

/** A span (or its resource) cannot be used; the other spans of the request are. */
class TooDeep extends Error {
  constructor() {
    super(`attributes are nested more than ${MAX_ATTRIBUTE_DEPTH} levels deep`);
  }
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

/** A position in the body; each function reading a message is given where that message ends. */
class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
  ) {
    this.pos = start;
  }

  /** A varint's low 32 bits, unsigned (tags, lengths, enums, int32, bool). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let byte = buf[pos++]!;
    let value = byte & 0x7f;
    if (byte >= 0x80) {
      byte = buf[pos++]!;
      value |= (byte & 0x7f) << 7;
      if (byte >= 0x80) {
        byte = buf[pos++]!;
        value |= (byte & 0x7f) << 14;
        if (byte >= 0x80) {
          byte = buf[pos++]!;
          value |= (byte & 0x7f) << 21;
          if (byte >= 0x80) {
            byte = buf[pos++]!;
            value |= (byte & 0x0f) << 28;
            // The bits above 32 are dropped, as int32 and enum readers do.
            for (let extra = 0; byte >= 0x80; extra++) {
              if (extra === 5) throw new WireError(`varint longer than 10 bytes at offset ${this.pos}`);
              byte = buf[pos++]!;
            }
          }
        }
      }
    }
    if (pos > buf.length) throw new WireError(`truncated varint at offset ${this.pos}`);
    this.pos = pos;
    return value >>> 0;
  }

  /** A varint as a signed 64-bit integer, to the nearest double (int64 attribute values). */
  int64(): number {
    const start = this.pos;
    const buf = this.buf;
    // Most values (token counts, sizes) fit in four bytes.
    if (buf[start]! < 0x80) return this.uint32();
    let value = 0n;
    let shift = 0n;
    let pos = start;
    for (;;) {
      if (pos >= buf.length) throw new WireError(`truncated varint at offset ${start}`);
      if (pos - start === 10) throw new WireError(`varint longer than 10 bytes at offset ${start}`);
      const byte = buf[pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) break;
    }
    this.pos = pos;
    return Number(BigInt.asIntN(64, value));
  }

  fixed64(): bigint {
    const pos = this.need(8);
    return (BigInt(this.buf.readUInt32LE(pos + 4)) << 32n) | BigInt(this.buf.readUInt32LE(pos));
  }

  double(): number {
    return this.buf.readDoubleLE(this.need(8));
  }

  /** A length-delimited field's extent; the reader moves past it. */
  length(end: number): number {
    const length = this.uint32();
    const start = this.pos;
    if (start + length > end) throw new WireError(`length ${length} at offset ${start} runs past its message`);
    this.pos = start + length;
    return start;
  }

  string(end: number): string {
    const start = this.length(end);
    return this.buf.toString('utf8', start, this.pos);
  }

  skip(wireType: number, end: number): void {
    if (wireType === VARINT) this.uint32();
    else if (wireType === FIXED64) this.need(8);
    else if (wireType === LENGTH) this.length(end);
    else if (wireType === FIXED32) this.need(4);
    else throw new WireError(`invalid wire type ${wireType} at offset ${this.pos}`);
  }

  /** Ends a message: its fields must have filled it exactly. */
  close(end: number): void {
    if (this.pos !== end) throw new WireError(`a field runs past its message at offset ${end}`);
  }

  private need(bytes: number): number {
    const pos = this.pos;
    if (pos + bytes > this.buf.length) throw new WireError(`truncated field at offset ${pos}`);
    this.pos = pos + bytes;
    return pos;
  }
}

/** Where the spans of one scope lie in the body, with their scope. */
interface ScopeExtent {
  scope: { name: string; version: string };
  spans: number[];
}

/** Decodes an OTLP/HTTP protobuf body (ExportTraceServiceRequest). */
export function decodeProtobuf(body: Buffer, maxSpans: number): DecodedSpans {
  try {
    return decode(new Reader(body, 0), body.length, maxSpans);
  } catch (error) {
    if (error instanceof WireError) throw new OtlpPayloadError(`not a valid ExportTraceServiceRequest: ${error.message}`);
    throw error;
  }
}

function decode(reader: Reader, end: number, maxSpans: number): DecodedSpans {
  // First the request's outline (resources, scopes, where each span lies), so that a request over the
  // limit is refused before any span is decoded, and a resource sent after its spans still applies.
  const resources: { resource: number | null; resourceEnd: number; scopes: ScopeExtent[] }[] = [];
  let total = 0;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag !== ((1 << 3) | LENGTH)) {
      reader.skip(tag & 7, end);
      continue;
    }
    const start = reader.length(end);
    const resourceSpans = outline(reader, start, reader.pos);
    total += resourceSpans.scopes.reduce((sum, scope) => sum + scope.spans.length / 2, 0);
    resources.push(resourceSpans);
  }
  reader.close(end);
  if (total > maxSpans) throw new TooManySpansError(maxSpans);

  const decoded: DecodedSpans = { spans: [], bad: [], positions: [] };
  let index = 0;
  for (const { resource: resourceStart, resourceEnd, scopes } of resources) {
    let resource: Attributes = {};
    let resourceProblem: string | null = null;
    if (resourceStart !== null) {
      try {
        reader.pos = resourceStart;
        resource = readResource(reader, resourceEnd);
      } catch (error) {
        if (!(error instanceof TooDeep)) throw error;
        resourceProblem = `resource ${error.message}`;
      }
    }
    for (const { scope, spans } of scopes) {
      for (let i = 0; i < spans.length; i += 2) {
        const position = index++;
        if (resourceProblem) {
          decoded.bad.push({ index: position, message: resourceProblem });
          continue;
        }
        try {
          reader.pos = spans[i]!;
          decoded.spans.push(readSpan(reader, spans[i + 1]!, scope, resource));
          decoded.positions.push(position);
        } catch (error) {
          if (!(error instanceof TooDeep)) throw error;
          decoded.bad.push({ index: position, message: error.message });
        }
      }
    }
  }
  return decoded;
}

/** ResourceSpans: where its resource and each of its spans lie, and each scope's name and version. */
function outline(reader: Reader, start: number, end: number): { resource: number | null; resourceEnd: number; scopes: ScopeExtent[] } {
  reader.pos = start;
  let resource: number | null = null;
  let resourceEnd = 0;
  const scopes: ScopeExtent[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) {
      resource = reader.length(end);
      resourceEnd = reader.pos;
    } else if (tag === ((2 << 3) | LENGTH)) {
      const scopeStart = reader.length(end);
      const scopeEnd = reader.pos;
      scopes.push(scopeSpans(reader, scopeStart, scopeEnd));
      reader.pos = scopeEnd;
    } else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return { resource, resourceEnd, scopes };
}

function scopeSpans(reader: Reader, start: number, end: number): ScopeExtent {
  reader.pos = start;
  const extent: ScopeExtent = { scope: { name: '', version: '' }, spans: [] };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) {
      const scopeStart = reader.length(end);
      const scopeEnd = reader.pos;
      reader.pos = scopeStart;
      extent.scope = readScope(reader, scopeEnd);
    } else if (tag === ((2 << 3) | LENGTH)) {
      const spanStart = reader.length(end);
      extent.spans.push(spanStart, reader.pos);
    } else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return extent;
}

function readScope(reader: Reader, end: number): { name: string; version: string } {
  const scope = { name: '', version: '' };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) scope.name = reader.string(end);
    else if (tag === ((2 << 3) | LENGTH)) scope.version = reader.string(end);
    else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return scope;
}

function readResource(reader: Reader, end: number): Attributes {
  const attributes: Attributes = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) readKeyValue(reader, reader.length(end), attributes, 0);
    else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return attributes;
}

function readSpan(reader: Reader, end: number, scope: { name: string; version: string }, resource: Attributes): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    name: '',
    kind: 0,
    startNanos: 0n,
    endNanos: 0n,
    attributes: {},
    events: [],
    status: { code: 0, message: '' },
    resource,
    scope,
  };
  const buf = reader.buf;
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case (1 << 3) | LENGTH:
        span.traceId = buf.toString('hex', reader.length(end), reader.pos);
        break;
      case (2 << 3) | LENGTH:
        span.spanId = buf.toString('hex', reader.length(end), reader.pos);
        break;
      case (4 << 3) | LENGTH: {
        const parent = buf.toString('hex', reader.length(end), reader.pos);
        span.parentSpanId = parent === '' ? null : parent;
        break;
      }
      case (5 << 3) | LENGTH:
        span.name = reader.string(end);
        break;
      case (6 << 3) | VARINT:
        span.kind = reader.uint32() | 0;
        break;
      case (7 << 3) | FIXED64:
        span.startNanos = reader.fixed64();
        break;
      case (8 << 3) | FIXED64:
        span.endNanos = reader.fixed64();
        break;
      case (9 << 3) | LENGTH:
        readKeyValue(reader, reader.length(end), span.attributes, 0);
        break;
      case (11 << 3) | LENGTH: {
        const eventStart = reader.length(end);
        const eventEnd = reader.pos;
        reader.pos = eventStart;
        span.events.push(readEvent(reader, eventEnd));
        break;
      }
      case (15 << 3) | LENGTH: {
        const statusStart = reader.length(end);
        const statusEnd = reader.pos;
        reader.pos = statusStart;
        span.status = readStatus(reader, statusEnd);
        break;
      }
      default:
        reader.skip(tag & 7, end);
    }
  }
  reader.close(end);
  return span;
}

function readEvent(reader: Reader, end: number): OtlpSpan['events'][number] {
  const event = { name: '', timeNanos: 0n, attributes: {} as Attributes };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | FIXED64)) event.timeNanos = reader.fixed64();
    else if (tag === ((2 << 3) | LENGTH)) event.name = reader.string(end);
    else if (tag === ((3 << 3) | LENGTH)) readKeyValue(reader, reader.length(end), event.attributes, 0);
    else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return event;
}

function readStatus(reader: Reader, end: number): { code: number; message: string } {
  const status = { code: 0, message: '' };
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((2 << 3) | LENGTH)) status.message = reader.string(end);
    else if (tag === ((3 << 3) | VARINT)) status.code = reader.uint32() | 0;
    else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return status;
}

/**
 * One KeyValue (from `start` to the reader's position) into `into`; a pair without a key is left out
 * and one without a value is null, as in JSON. The reader ends after the pair.
 */
function readKeyValue(reader: Reader, start: number, into: Attributes, depth: number): void {
  const end = reader.pos;
  reader.pos = start;
  let key: string | null = null;
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) key = reader.string(end);
    else if (tag === ((2 << 3) | LENGTH)) {
      const valueStart = reader.length(end);
      const valueEnd = reader.pos;
      reader.pos = valueStart;
      value = readAnyValue(reader, valueEnd, depth + 1);
    } else reader.skip(tag & 7, end);
  }
  reader.close(end);
  if (key !== null) into[key] = value;
}

function readAnyValue(reader: Reader, end: number, depth: number): AttributeValue {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new TooDeep();
  // A oneof: the last of its fields on the wire is the value.
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag) {
      case (1 << 3) | LENGTH:
        value = reader.string(end);
        break;
      case (2 << 3) | VARINT:
        value = reader.uint32() !== 0;
        break;
      case (3 << 3) | VARINT:
        value = reader.int64();
        break;
      case (4 << 3) | FIXED64:
        value = reader.double();
        break;
      case (5 << 3) | LENGTH: {
        const arrayStart = reader.length(end);
        value = readArray(reader, arrayStart, reader.pos, depth);
        break;
      }
      case (6 << 3) | LENGTH: {
        const listStart = reader.length(end);
        value = readKeyValueList(reader, listStart, reader.pos, depth);
        break;
      }
      case (7 << 3) | LENGTH: {
        const bytesStart = reader.length(end);
        value = reader.buf.toString('base64', bytesStart, reader.pos);
        break;
      }
      default:
        reader.skip(tag & 7, end);
    }
  }
  reader.close(end);
  return value;
}

function readArray(reader: Reader, start: number, end: number, depth: number): AttributeValue[] {
  reader.pos = start;
  const values: AttributeValue[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) {
      const itemStart = reader.length(end);
      const itemEnd = reader.pos;
      reader.pos = itemStart;
      values.push(readAnyValue(reader, itemEnd, depth + 1));
    } else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return values;
}

function readKeyValueList(reader: Reader, start: number, end: number, depth: number): Attributes {
  reader.pos = start;
  const values: Attributes = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | LENGTH)) readKeyValue(reader, reader.length(end), values, depth);
    else reader.skip(tag & 7, end);
  }
  reader.close(end);
  return values;
}
