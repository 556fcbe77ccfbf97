import express, { type Request, type Response, type Router } from 'express';
import { ApiKeyRole } from '../auth/api-key.entity.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { principalOf, requireApiKey } from '../http/api-key-guard.js';
import type { LogInput } from '../logs/log.types.js';
import type { Services } from '../services.js';
import { decodeJson, decodeProtobuf, OtlpPayloadError, type OtlpSpan } from './otlp.decode.js';
import { spanToLog } from './otlp.genai.js';
import { ExportTraceServiceResponse, RpcStatus } from './otlp.proto.js';

// google.rpc.Code values used in OTLP/HTTP error bodies.
const INVALID_ARGUMENT = 3;
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;
const UNAVAILABLE = 14;
const INTERNAL = 13;
const RESOURCE_EXHAUSTED = 8;

type Encoding = 'json' | 'protobuf';

/**
 * POST /v1/traces (OTLP/HTTP, JSON or protobuf, optionally gzip): GenAI spans become logs through the
 * same ingestion as ingestLogs; other spans are ignored and counted. The answer follows the OTLP
 * partial-success rules: spans refused by validation are `rejectedSpans`, ignored ones are reported
 * in `errorMessage` as a warning.
 */
export function otlpRouter(services: Services): Router {
  const router = express.Router();
  // body-parser inflates gzip and deflate bodies itself; the limit applies to the inflated size.
  // The key is checked before the body is read or inflated (http/api-key-guard.ts).
  const guard = requireApiKey(services.apiKeys, (response, message) => sendStatus(response, encodingOf(response.req) ?? 'json', 401, UNAUTHENTICATED, message));
  router.post('/v1/traces', guard, express.raw({ type: () => true, limit: services.config.limits.maxBodyBytes }), async (request, response) => {
    const encoding = encodingOf(request);
    if (!encoding) {
      response.status(415).json({ code: INVALID_ARGUMENT, message: 'Content-Type must be application/json or application/x-protobuf' });
      return;
    }
    const principal = principalOf(response)!;
    if (principal.role !== ApiKeyRole.INGEST && principal.role !== ApiKeyRole.ADMIN) {
      return sendStatus(response, encoding, 403, PERMISSION_DENIED, `This needs a key with role INGEST (or ADMIN); this key has role ${principal.role}`);
    }

    const decision = await services.rateLimiter.take('ingest', principal.keyId);
    if (!decision.allowed) {
      response.setHeader('retry-after', String(decision.retryAfterSeconds));
      return sendStatus(response, encoding, 429, RESOURCE_EXHAUSTED, `Rate limit exceeded; retry after ${decision.retryAfterSeconds} s`);
    }

    let spans: OtlpSpan[];
    try {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      spans = encoding === 'json' ? decodeJson(body) : decodeProtobuf(body);
    } catch (error) {
      if (error instanceof OtlpPayloadError) return sendStatus(response, encoding, 400, INVALID_ARGUMENT, error.message);
      throw error;
    }

    const logs = spans.map(spanToLog).filter((log): log is LogInput => log !== null);
    const ignored = spans.length - logs.length;
    let rejected = 0;
    const problems: string[] = [];
    try {
      const batch = services.config.limits.ingestMaxBatch;
      for (let start = 0; start < logs.length; start += batch) {
        const result = await services.logIngest.ingest(logs.slice(start, start + batch));
        rejected += new Set(result.rejected.map((r) => r.index)).size;
        for (const r of result.rejected.slice(0, 5 - problems.length)) problems.push(`span ${start + r.index}: ${r.field} ${r.message}`);
      }
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        services.log.error({ err: error }, 'OTLP ingestion failed');
        return sendStatus(response, encoding, 500, INTERNAL, 'Internal server error');
      }
      services.log.warn({ err: error }, 'OTLP ingestion failed: database unavailable');
      response.setHeader('retry-after', '2');
      return sendStatus(response, encoding, 503, UNAVAILABLE, 'The database is unavailable; retry shortly');
    }

    const messages = [
      ...(rejected > 0 ? [`${countSpans(rejected)} with gen_ai attributes rejected (${problems.join('; ')})`] : []),
      ...(ignored > 0 ? [`${countSpans(ignored)} without gen_ai attributes ignored`] : []),
    ];
    const partialSuccess = messages.length > 0 ? { rejectedSpans: rejected, errorMessage: messages.join('; ') } : undefined;
    services.log.debug({ spans: spans.length, stored: logs.length - rejected, rejected, ignored }, 'OTLP traces received');
    send(response, encoding, 200, ExportTraceServiceResponse, partialSuccess ? { partialSuccess } : {});
  });
  return router;
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
