import type { Delivery } from './delivery.js';
import { LumenError } from './errors.js';
import { parseRetryAfter, postJson, type Attempt } from './graphql-transport.js';
import type { ResolvedOptions } from './options.js';
import type { Reporter } from './reporter.js';
import { withRetries } from './retry.js';
import { exportRequest, type PreparedSpan } from './span-entry.js';

/** The SDK's version, as the OTLP scope of its spans. */
const SDK_VERSION = '0.1.0';

interface ExportResult {
  rejectedSpans: number;
  errorMessage: string | undefined;
}

/**
 * Sends one batch of spans to Lumen's `POST /v1/traces` (OTLP/HTTP, JSON) with the same retries and
 * deadlines as logs. Lumen keeps a span once by its trace and span ids, so a retry stores nothing twice.
 */
export async function sendSpanBatch(
  spans: PreparedSpan[],
  options: ResolvedOptions,
  delivery: Delivery,
  reporter: Reporter,
): Promise<void> {
  const body = exportRequest(spans, SDK_VERSION);
  const spanIds = spans.map((span) => span.spanId);
  const { outcome, attempts } = await withRetries((signal) => postJson(options, options.tracesUrl, body, signal, interpretExport), {
    options,
    delivery,
    onRetry: (failure, attempt, delayMs) => reporter.retry('exportSpans', failure, attempt, delayMs),
  });

  if (!outcome.ok && outcome.aborted === 'shutdown') {
    reporter.counts.spansDropped += spans.length;
    reporter.report(
      new LumenError('shutdown_timeout', `shutdown() timed out while ${spans.length} spans were being sent: dropped`, {
        operation: 'exportSpans',
        eventIds: spanIds,
        attempts,
      }),
    );
    return;
  }
  if (!outcome.ok) {
    reporter.counts.spansFailed += spans.length;
    const why = outcome.retryable ? `gave up after ${attempts} attempts` : 'refused';
    reporter.report(
      new LumenError('request_failed', `exporting spans ${why}: ${outcome.message}; ${spans.length} spans not stored`, {
        operation: 'exportSpans',
        eventIds: spanIds,
        status: outcome.status,
        attempts,
        cause: outcome.cause,
      }),
    );
    return;
  }
  const rejected = Math.min(outcome.data.rejectedSpans, spans.length);
  reporter.counts.spansSent += spans.length - rejected;
  if (rejected === 0) return;
  reporter.counts.spansRejected += rejected;
  reporter.report(
    new LumenError('rejected', `Lumen refused ${rejected} of ${spans.length} spans: ${outcome.data.errorMessage ?? 'no reason given'}`, {
      operation: 'exportSpans',
      eventIds: spanIds,
    }),
  );
}

/** An OTLP/HTTP answer: 2xx with an optional partialSuccess, else a google.rpc.Status body. */
function interpretExport(status: number, retryAfterHeader: string | null, text: string): Attempt<ExportResult> {
  let payload: { partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown }; message?: unknown } | undefined;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = undefined;
  }
  if (status >= 200 && status < 300) {
    const partial = payload?.partialSuccess;
    const rejectedSpans = Number(partial?.rejectedSpans ?? 0);
    return {
      ok: true,
      data: {
        rejectedSpans: Number.isFinite(rejectedSpans) ? rejectedSpans : 0,
        errorMessage: typeof partial?.errorMessage === 'string' ? partial.errorMessage : undefined,
      },
    };
  }
  const retryable = status >= 500 || status === 408 || status === 429;
  const message =
    typeof payload?.message === 'string' ? payload.message : text.trim() ? `HTTP ${status}: ${text.slice(0, 200)}` : `HTTP ${status}`;
  return { ok: false, retryable, retryAfterMs: parseRetryAfter(retryAfterHeader), status, message };
}
