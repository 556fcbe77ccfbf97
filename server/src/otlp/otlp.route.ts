import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { ApiKeyService, Principal } from '../auth/api-key.service.js';
import type { Config } from '../config.js';
import type { SqlQuery } from '../db/sql.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { principalOf, requireApiKey } from '../http/api-key-guard.js';
import type { LogIngestService } from '../logs/log.ingest.js';
import type { LogInput } from '../logs/log.types.js';
import type { RateLimiter } from '../ratelimit/rate-limit.limiter.js';
import type { SpanIngestService, SpanRecord } from '../traces/span.ingest.js';
import { decodeJson, OtlpPayloadError, TooManySpansError, type BadSpan, type DecodedSpans } from './otlp.decode.js';
import { spanToLog } from './otlp.genai.js';
import { ExportTraceServiceResponse, RpcStatus } from './otlp.proto.js';
import { decodeProtobuf } from './otlp.protobuf.js';
import { toSpanRecord } from './otlp.spans.js';

// google.rpc.Code values used in OTLP/HTTP error bodies.
const INVALID_ARGUMENT = 3;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;
const UNAVAILABLE = 14;
const INTERNAL = 13;
const RESOURCE_EXHAUSTED = 8;

type Encoding = 'json' | 'protobuf';

/** The services the route uses. */
export interface OtlpServices {
  config: Pick<Config, 'limits'>;
  log: Logger;
  apiKeys: ApiKeyService;
  rateLimiter: RateLimiter;
  logIngest: LogIngestService;
  spanIngest: SpanIngestService;
}

/**
 * POST /v1/traces (OTLP/HTTP, JSON or protobuf, optionally gzip): every span is stored (traces/), and
 * model-call spans (GenAI or OpenInference conventions) also become logs through the same ingestion as
 * ingestLogs. The answer follows the OTLP
 * partial-success rules: a span that cannot be decoded or stored is counted in `rejectedSpans` and
 * named in `errorMessage` while the others are stored; ignored ones are reported there as a warning.
 * A failure of the server itself answers an OTLP status body (never an HTML page) and is logged.
 */
export function otlpRouter(services: OtlpServices): Router {
  const router = express.Router();
  // The key is checked before the body is read or inflated (http/api-key-guard.ts).
  const guard = requireApiKey(
    (authorization) => services.apiKeys.authenticateHeader(authorization),
    (response, message) => sendStatus(response, encodingOf(response.req) ?? 'json', 401, UNAUTHENTICATED, message),
  );
  router.post(
    '/v1/traces',
    guard,
    express.raw({ type: () => true, limit: services.config.limits.maxBodyBytes }),
    async (request, response) => {
      const encoding = encodingOf(request);
      if (!encoding) {
        response.status(415).json({ code: INVALID_ARGUMENT, message: 'Content-Type must be application/json or application/x-protobuf' });
        return;
      }
      try {
        await exportTraces(services, principalOf(response) as Principal, request, response, encoding);
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          services.log.warn({ err: error }, 'OTLP ingestion failed: database unavailable');
          response.setHeader('retry-after', '2');
          return sendStatus(response, encoding, 503, UNAVAILABLE, 'The database is unavailable; retry shortly');
        }
        services.log.error({ err: error }, 'OTLP ingestion failed');
        if (!response.headersSent) sendStatus(response, encoding, 500, INTERNAL, 'Internal server error');
      }
    },
  );
  return router;
}

async function exportTraces(
  services: OtlpServices,
  principal: Principal,
  request: Request,
  response: Response,
  encoding: Encoding,
): Promise<void> {
  if (principal.role !== ApiKeyRole.INGEST && principal.role !== ApiKeyRole.ADMIN) {
    return sendStatus(
      response,
      encoding,
      403,
      PERMISSION_DENIED,
      `This needs a key with role INGEST (or ADMIN); this key has role ${principal.role}`,
    );
  }
  const { limits } = services.config;
  let decoded: DecodedSpans;
  try {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    decoded = encoding === 'json' ? decodeJson(body, limits.otlpMaxSpans) : decodeProtobuf(body, limits.otlpMaxSpans);
  } catch (error) {
    if (error instanceof TooManySpansError) return sendStatus(response, encoding, 413, INVALID_ARGUMENT, error.message);
    if (error instanceof OtlpPayloadError) return sendStatus(response, encoding, 400, INVALID_ARGUMENT, error.message);
    throw error;
  }

  // Each span weighs one on the key's ingest budget, stored or not.
  const spanCount = decoded.spans.length + decoded.bad.length;
  const decision = await services.rateLimiter.take('ingest', principal.keyId, Math.max(1, spanCount));
  if (!decision.allowed) {
    response.setHeader('retry-after', String(decision.retryAfterSeconds));
    return sendStatus(response, encoding, 429, RESOURCE_EXHAUSTED, `Rate limit exceeded; retry after ${decision.retryAfterSeconds} s`);
  }

  const bad: BadSpan[] = [...decoded.bad];
  const records: SpanRecord[] = [];
  const logs: LogInput[] = [];
  const logPositions: number[] = [];
  decoded.spans.forEach((span, i) => {
    const position = decoded.positions[i]!;
    if (!SPAN_ID.test(span.spanId) || !TRACE_ID.test(span.traceId) || (span.parentSpanId !== null && !SPAN_ID.test(span.parentSpanId))) {
      bad.push({ index: position, message: 'traceId, spanId and parentSpanId must be hex ids' });
      return;
    }
    try {
      const log = spanToLog(span);
      records.push(toSpanRecord(span));
      if (log) {
        logs.push(log);
        logPositions.push(position);
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      bad.push({ index: position, message: 'attributes are too deeply nested' });
    }
  });
  // Spans in the transaction of the first logs, after them: one commit covers a log and its span, an
  // exporter's retry after a failure stores neither twice, and the trace summaries that concurrent
  // requests share are locked only for the commit (a request waiting on another's summary row would
  // otherwise wait for all of that request's writes).
  const storeSpans = (query: SqlQuery) => services.spanIngest.store(records, query);
  if (logs.length === 0) await services.spanIngest.store(records);
  let refusedLogs = 0;
  for (let start = 0; start < logs.length; start += limits.ingestMaxBatch) {
    const result = await services.logIngest.ingest(
      logs.slice(start, start + limits.ingestMaxBatch),
      undefined,
      start === 0 ? storeSpans : undefined,
    );
    const byIndex = new Map<number, string>();
    for (const r of result.rejected) if (!byIndex.has(r.index)) byIndex.set(r.index, `${r.field} ${r.message}`);
    for (const [index, message] of byIndex) bad.push({ index: logPositions[start + index]!, message });
    refusedLogs += byIndex.size;
  }

  bad.sort((a, b) => a.index - b.index);
  const messages = [
    ...(bad.length > 0
      ? [
          `${countSpans(bad.length)} rejected (${bad
            .slice(0, 5)
            .map((b) => `span ${b.index}: ${b.message}`)
            .join('; ')})`,
        ]
      : []),
  ];
  const partialSuccess = messages.length > 0 ? { rejectedSpans: bad.length, errorMessage: messages.join('; ') } : undefined;
  services.log.debug(
    { spans: spanCount, stored: records.length, logs: logs.length - refusedLogs, rejected: bad.length },
    'OTLP traces received',
  );
  send(response, encoding, 200, ExportTraceServiceResponse, partialSuccess ? { partialSuccess } : {});
}

const countSpans = (count: number) => `${count} span${count === 1 ? '' : 's'}`;
const TRACE_ID = /^[0-9a-fA-F]{1,64}$/;
const SPAN_ID = /^[0-9a-fA-F]{1,32}$/;

function encodingOf(request: Request): Encoding | null {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return null;
}

function sendStatus(response: Response, encoding: Encoding, http: number, code: number, message: string): void {
  send(response, encoding, http, RpcStatus, { code, message });
}

function send(response: Response, encoding: Encoding, status: number, type: typeof RpcStatus, payload: Record<string, unknown>): void {
  response.status(status);
  if (encoding === 'json') {
    response.json(payload);
    return;
  }
  response.type('application/x-protobuf').send(Buffer.from(type.encode(type.fromObject(payload)).finish()));
}
