import type { Config } from '../config.js';
import type { SqlQuery } from '../db/sql.js';
import type { LogIngestService } from '../logs/log.ingest.js';
import type { LogInput } from '../logs/log.types.js';
import type { SpanIngestService, SpanRecord } from '../traces/span.ingest.js';
import type { PreparedSpans } from '../traces/span.prepare.js';
import type { BadSpan, DecodedSpans } from './otlp.decode.js';
import { spanToLog } from './otlp.genai.js';
import { toSpanRecord } from './otlp.spans.js';

/** What storing decoded spans uses. */
export interface SpanStoreServices {
  config: Pick<Config, 'limits'>;
  logIngest: LogIngestService;
  spanIngest: SpanIngestService;
}

/** What became of a request's decoded spans. */
export interface StoredSpans {
  /** The spans refused (the decoder's and the ones refused here), by position in the request, in order. */
  bad: BadSpan[];
  stored: number;
  logs: number;
}

/**
 * A request's spans mapped, before anything is written (mapSpans): the part of storing that needs no
 * database, which the route runs on a worker thread for large requests (otlp.workers.ts).
 */
export interface MappedSpans {
  /** Every span of the request, decoded or refused while decoding: each weighs one on the key's ingest budget. */
  total: number;
  /** The spans refused so far (decoding and mapping), by position in the request. */
  bad: BadSpan[];
  /**
   * The span records; or, from a worker, the batch already prepared for its writes (prepareSpans).
   * Records mapped here are prepared inside the ingest transaction, when they are written: prepared
   * early, a batch would wait for its turn holding its COPY text, which costs a busy server more
   * garbage collection.
   */
  spans: SpanRecord[] | PreparedSpans;
  /** The model-call spans as logs, and each one's position in the request. */
  logs: LogInput[];
  logPositions: number[];
}

/**
 * Maps decoded spans: every span with valid ids becomes a span record, and each model-call span
 * (GenAI or OpenInference conventions) also a log. A span that cannot be mapped is named in `bad`.
 */
export function mapSpans(decoded: DecodedSpans): MappedSpans & { spans: SpanRecord[] } {
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
  return { total: decoded.spans.length + decoded.bad.length, bad, spans: records, logs, logPositions };
}

/**
 * Stores decoded spans: every span with valid ids as a span, and each model-call span (GenAI or
 * OpenInference conventions) also as a log through the same ingestion as ingestLogs. A span that cannot
 * be mapped, or whose log is refused, is named in `bad`; the others are stored.
 */
export async function storeSpans(services: SpanStoreServices, decoded: DecodedSpans): Promise<StoredSpans> {
  return storeMapped(services, mapSpans(decoded));
}

/**
 * Stores mapped spans (mapSpans, here or on a worker): the spans, and the logs through the same
 * ingestion as ingestLogs; a log refused there names its span in `bad`. `reload` gives the span records
 * again when a prepared batch does not hold them (SpanIngestService.storePrepared).
 */
export async function storeMapped(
  services: SpanStoreServices,
  mapped: MappedSpans,
  reload?: () => Promise<SpanRecord[]>,
): Promise<StoredSpans> {
  const { limits } = services.config;
  const { logs, logPositions } = mapped;
  const bad = [...mapped.bad];
  // Spans in the transaction of the first logs, after them: one commit covers a log and its span, an
  // exporter's retry after a failure stores neither twice, and the trace summaries that concurrent
  // requests share are locked only for the commit (a request waiting on another's summary row would
  // otherwise wait for all of that request's writes).
  const { spans } = mapped;
  const storeRecords = (query?: SqlQuery) =>
    Array.isArray(spans) ? services.spanIngest.store(spans, query) : services.spanIngest.storePrepared(spans, query, reload);
  if (logs.length === 0) await storeRecords();
  let refusedLogs = 0;
  for (let start = 0; start < logs.length; start += limits.ingestMaxBatch) {
    const result = await services.logIngest.ingest(
      logs.slice(start, start + limits.ingestMaxBatch),
      undefined,
      start === 0 ? storeRecords : undefined,
    );
    const byIndex = new Map<number, string>();
    for (const r of result.rejected) if (!byIndex.has(r.index)) byIndex.set(r.index, `${r.field} ${r.message}`);
    for (const [index, message] of byIndex) bad.push({ index: logPositions[start + index]!, message });
    refusedLogs += byIndex.size;
  }
  bad.sort((a, b) => a.index - b.index);
  return { bad, stored: Array.isArray(spans) ? spans.length : spans.count, logs: logs.length - refusedLogs };
}

const TRACE_ID = /^[0-9a-fA-F]{1,64}$/;
const SPAN_ID = /^[0-9a-fA-F]{1,32}$/;
