// A worker thread of the OTLP route (otlp.workers.ts): decodes a request's body, maps its spans and
// prepares them for their writes, and sends back what storeMapped needs. It never touches the database.
import 'reflect-metadata';

import { parentPort, workerData } from 'node:worker_threads';

import { createRedactor } from '../logs/log.redaction.js';
import { prepareSpans } from '../traces/span.prepare.js';
import { decodeJson, OtlpPayloadError, TooManySpansError } from './otlp.decode.js';
import { decodeProtobuf } from './otlp.protobuf.js';
import { mapSpans } from './otlp.store.js';
import type { OtlpWorkerData, OtlpWorkerReply, OtlpWorkerTask } from './otlp.workers.js';

const data = workerData as OtlpWorkerData;
const policy = {
  redact: createRedactor(data.redact, data.redactPatterns),
  storeContent: data.storeContent,
  contentMaxBytes: data.contentMaxBytes,
};

parentPort!.on('message', ({ encoding, body }: OtlpWorkerTask) => {
  let reply: OtlpWorkerReply;
  try {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const decoded = encoding === 'json' ? decodeJson(bytes, data.maxSpans) : decodeProtobuf(bytes, data.maxSpans);
    const mapped = mapSpans(decoded);
    const copy = mapped.spans.length >= data.copyMinSpans;
    // A COPY batch travels as its COPY text alone: cloning every record back would cost the main thread
    // about what preparing them here saved it.
    const spans = prepareSpans(mapped.spans, policy, { copy, records: !copy });
    reply = { mapped: { ...mapped, spans } };
  } catch (error) {
    reply = {
      error:
        error instanceof TooManySpansError
          ? { kind: 'too-many', message: error.message, limit: error.limit }
          : error instanceof OtlpPayloadError
            ? { kind: 'payload', message: error.message }
            : { kind: 'internal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    };
  }
  parentPort!.postMessage(reply);
});
