import { randomUUID } from 'node:crypto';

import { ExportTraceServiceRequest } from '../otlp/otlp.proto.js';
import type { SpanRecord } from '../traces/span.ingest.js';
import { SpanKind, SpanStatus } from '../traces/span.types.js';

export { logInput } from '@lumen/testkit';

export const INGEST_LOGS = `mutation Ingest($logs: [LogInput!]!) {
  ingestLogs(logs: $logs) { accepted duplicates rejected { index field message } eventIds }
}`;

export interface IngestPayload {
  ingestLogs: {
    accepted: number;
    duplicates: number;
    rejected: { index: number; field: string; message: string }[];
    eventIds: (string | null)[];
  };
}

/** A feedback input; override what a test cares about. */
export function feedbackInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    feedbackId: randomUUID(),
    appId: 'chat',
    userId: 'user-1',
    rating: 'NEGATIVE',
    score: 2,
    comment: 'The answer was wrong.',
    category: 'wrong answer',
    ...overrides,
  };
}

export const FEEDBACK_FIELDS = `id feedbackId logEventId traceId logId appId userId rating score comment category status
  resolutionNote resolvedBy resolvedByKeyId resolvedAt reopenedBy reopenedByKeyId reopenedAt createdAt`;

export const SUBMIT_FEEDBACK = `mutation Submit($input: FeedbackInput!) { submitFeedback(input: $input) { ${FEEDBACK_FIELDS} } }`;

/** Feedback as the API returns it (FEEDBACK_FIELDS). */
export interface FeedbackPayload {
  id: string;
  feedbackId: string | null;
  logEventId: string | null;
  traceId: string | null;
  logId: string | null;
  appId: string | null;
  userId: string | null;
  rating: 'POSITIVE' | 'NEGATIVE';
  score: number | null;
  comment: string | null;
  category: string | null;
  status: 'OPEN' | 'RESOLVED';
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedByKeyId: string | null;
  resolvedAt: string | null;
  reopenedBy: string | null;
  reopenedByKeyId: string | null;
  reopenedAt: string | null;
  createdAt: string;
}

/**
 * A span as the span ingestion stores it: a root CHAIN span of `durationMs` (100 unless given) from
 * `startTime`, OK, with no content, session, user or model; `fields` sets what a test cares about.
 */
export function spanRecord(fields: Pick<SpanRecord, 'traceId' | 'spanId' | 'startTime'> & Partial<SpanRecord>): SpanRecord {
  const durationMs = fields.durationMs ?? 100;
  return {
    parentSpanId: null,
    name: 'span',
    kind: SpanKind.CHAIN,
    endTime: new Date(fields.startTime.getTime() + durationMs),
    durationMs,
    status: SpanStatus.OK,
    errorMessage: null,
    input: null,
    output: null,
    inputTruncated: false,
    outputTruncated: false,
    attributes: {},
    appId: 'app',
    sessionId: null,
    userId: null,
    model: null,
    provider: null,
    inputTokens: null,
    outputTokens: null,
    ...fields,
  };
}

/** An OTLP/HTTP JSON export request (ExportTraceServiceRequest) of `spans`, from one service. */
export function otlpRequest(service: string, spans: unknown[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}

/** An OTLP/HTTP JSON request (otlpRequest) as protobuf: the same message, its hex ids as the bytes protobuf carries. */
export function otlpProtobuf(request: object): Buffer {
  const copy = structuredClone(request) as { resourceSpans?: { scopeSpans?: { spans?: Record<string, unknown>[] }[] }[] };
  for (const resourceSpans of copy.resourceSpans ?? [])
    for (const scopeSpans of resourceSpans.scopeSpans ?? [])
      for (const span of scopeSpans.spans ?? [])
        for (const key of ['traceId', 'spanId', 'parentSpanId']) {
          const id = span[key];
          if (typeof id === 'string') span[key] = Buffer.from(id, 'hex');
        }
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(copy)).finish());
}

/** A span as OTLP/HTTP JSON carries it, started a second ago and ended half a second ago (kind INTERNAL unless given). */
export function otlpSpan(fields: {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes: object[];
}) {
  return {
    kind: 1,
    startTimeUnixNano: String(BigInt(Date.now() - 1_000) * 1_000_000n),
    endTimeUnixNano: String(BigInt(Date.now() - 500) * 1_000_000n),
    ...fields,
  };
}
