import type { Delivery } from './delivery.js';
import { LumenError, type RejectedItem } from './errors.js';
import { postGraphQL } from './graphql-transport.js';
import type { PreparedLog } from './log-entry.js';
import type { ResolvedOptions } from './options.js';
import type { Reporter } from './reporter.js';
import { withRetries } from './retry.js';

const INGEST_LOGS = `mutation LumenSdkIngestLogs($logs: [LogInput!]!) {
  ingestLogs(logs: $logs) { accepted duplicates rejected { index field message } }
}`;

interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; field: string; message: string }[];
}

/**
 * Sends one batch through `ingestLogs`, retrying what may succeed later. Every log carries its
 * eventId from the first attempt on, so a retry after an unclear outcome stores nothing twice.
 */
export async function sendLogBatch(logs: PreparedLog[], options: ResolvedOptions, delivery: Delivery, reporter: Reporter): Promise<void> {
  const variables = `{"logs":[${logs.map((log) => log.json).join(',')}]}`;
  const eventIds = logs.map((log) => log.eventId);
  const { outcome, attempts } = await withRetries(
    (signal) => postGraphQL<IngestResult>(options, 'ingestLogs', INGEST_LOGS, variables, signal),
    {
      options,
      delivery,
      onRetry: (failure, attempt, delayMs) => reporter.retry('ingestLogs', failure, attempt, delayMs),
    },
  );

  if (!outcome.ok && outcome.aborted === 'shutdown') {
    reporter.counts.dropped += logs.length;
    reporter.report(
      new LumenError('shutdown_timeout', `shutdown() timed out while ${logs.length} logs were being sent: dropped`, {
        operation: 'ingestLogs',
        eventIds,
        attempts,
      }),
    );
    return;
  }
  if (!outcome.ok) {
    reporter.counts.failed += logs.length;
    const why = outcome.retryable ? `gave up after ${attempts} attempts` : 'refused';
    reporter.report(
      new LumenError('request_failed', `ingestLogs ${why}: ${outcome.message}; ${logs.length} logs not stored`, {
        operation: 'ingestLogs',
        eventIds,
        status: outcome.status,
        code: outcome.code,
        attempts,
        cause: outcome.cause,
      }),
    );
    return;
  }

  const result = outcome.data;
  reporter.counts.sent += result.accepted;
  reporter.counts.duplicates += result.duplicates;
  if (result.rejected.length === 0) return;
  // The server names one entry per problem, so an item may appear more than once.
  const rejected: RejectedItem[] = result.rejected.map((item) => ({
    eventId: eventIds[item.index] ?? `#${item.index}`,
    field: item.field,
    message: item.message,
  }));
  const items = new Set(result.rejected.map((item) => item.index));
  reporter.counts.rejected += items.size;
  reporter.report(
    new LumenError('rejected', `ingestLogs refused ${items.size} of ${logs.length} logs: ${rejected[0]!.field}: ${rejected[0]!.message}`, {
      operation: 'ingestLogs',
      eventIds: [...items].map((index) => eventIds[index]!),
      rejected,
    }),
  );
}
