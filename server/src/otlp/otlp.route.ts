import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import type { ApiKeyService, Principal } from '../auth/api-key.service.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { principalOf, requireApiKey } from '../http/api-key-guard.js';
import type { RateLimiter } from '../ratelimit/rate-limit.limiter.js';
import type { SpanRecord } from '../traces/span.ingest.js';
import { decodeJson, OtlpPayloadError, TooManySpansError, type DecodedSpans } from './otlp.decode.js';
import { ExportTraceServiceResponse, RpcStatus } from './otlp.proto.js';
import { decodeProtobuf } from './otlp.protobuf.js';
import { mapSpans, storeMapped, type MappedSpans, type SpanStoreServices } from './otlp.store.js';
import { OTLP_WORKER_MIN_BYTES, type OtlpWorkers } from './otlp.workers.js';

// google.rpc.Code values used in OTLP/HTTP error bodies.
const INVALID_ARGUMENT = 3;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;
const UNAVAILABLE = 14;
const INTERNAL = 13;
const RESOURCE_EXHAUSTED = 8;

type Encoding = 'json' | 'protobuf';

/** The services the route uses. */
export interface OtlpServices extends SpanStoreServices {
  log: Logger;
  apiKeys: ApiKeyService;
  rateLimiter: RateLimiter;
  otlpWorkers: OtlpWorkers | null;
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
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const mapped = await admit(services, principal, body, response, encoding);
  if (!mapped) return;
  // A worker's COPY batch holds no span records; COPY refusing it (an exporter's retry) asks for them here.
  const reload = async (): Promise<SpanRecord[]> => mapSpans(decode(services, body, encoding)).spans;
  const { bad, stored, logs } = await storeMapped(services, mapped, reload);
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
  services.log.debug({ spans: mapped.total, stored, logs, rejected: bad.length }, 'OTLP traces received');
  send(response, encoding, 200, ExportTraceServiceResponse, partialSuccess ? { partialSuccess } : {});
}

/**
 * The request's spans mapped, once the key's ingest budget takes them; null when the request was
 * answered instead (a body that cannot be read, too many spans, the rate limit). A large request is
 * decoded, mapped and prepared on a worker thread (otlp.workers.ts); a small one is decoded here, and
 * mapped only once the budget allows it.
 */
async function admit(
  services: OtlpServices,
  principal: Principal,
  body: Buffer,
  response: Response,
  encoding: Encoding,
): Promise<MappedSpans | null> {
  const workers = body.length >= OTLP_WORKER_MIN_BYTES ? services.otlpWorkers : null;
  let ready: MappedSpans | DecodedSpans;
  try {
    ready = workers ? await workers.map(encoding, body) : decode(services, body, encoding);
  } catch (error) {
    if (!(error instanceof TooManySpansError || error instanceof OtlpPayloadError)) throw error;
    sendStatus(response, encoding, error instanceof TooManySpansError ? 413 : 400, INVALID_ARGUMENT, error.message);
    return null;
  }
  // Each span weighs one on the key's ingest budget, stored or not.
  const total = 'total' in ready ? ready.total : ready.spans.length + ready.bad.length;
  const decision = await services.rateLimiter.take('ingest', principal.keyId, Math.max(1, total));
  if (!decision.allowed) {
    response.setHeader('retry-after', String(decision.retryAfterSeconds));
    sendStatus(response, encoding, 429, RESOURCE_EXHAUSTED, `Rate limit exceeded; retry after ${decision.retryAfterSeconds} s`);
    return null;
  }
  return 'total' in ready ? ready : mapSpans(ready);
}

function decode(services: OtlpServices, body: Buffer, encoding: Encoding): DecodedSpans {
  const { otlpMaxSpans } = services.config.limits;
  return encoding === 'json' ? decodeJson(body, otlpMaxSpans) : decodeProtobuf(body, otlpMaxSpans);
}

const countSpans = (count: number) => `${count} span${count === 1 ? '' : 's'}`;

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
