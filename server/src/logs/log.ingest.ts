import { Prepared, type Sql, type SqlQuery } from '../db/sql.js';
import { badUserInput } from '../graphql/errors.js';
import type { LogPrice } from './log-price.types.js';
import { IngestGate } from './log.ingest-gate.js';
import type { IngestResult, LogInput, RejectedLog } from './log.types.js';
import { validateLog, type LogPolicy, type LogProblem, type NormalizedLog } from './log.validation.js';

/** A log as it was written: validated, priced, with its database id. */
export interface StoredLog extends NormalizedLog {
  id: string;
  price: LogPrice;
}

/** Runs inside the ingest transaction, so whatever it writes commits or rolls back with the logs. */
export type StoredListener = (query: SqlQuery, logs: StoredLog[]) => Promise<void>;

/**
 * Writes of another feature made in an ingest transaction, after its logs and their listeners, just
 * before the commit: a row lock it takes (a trace's summary, which concurrent requests can share) is
 * held only until the commit, not while the logs are written.
 */
export type WriteAlongside = (query: SqlQuery) => Promise<void>;

/** Prices logs against one snapshot of the cost table (the costs feature's, given by the composition root). */
export type LogPricer = () => Promise<(log: NormalizedLog) => LogPrice>;

type PricedLog = NormalizedLog & { price: LogPrice };

/** app_log columns written at ingest: name, array element type, and the value of a log. */
const INSERT_COLUMNS: [string, string, (log: PricedLog) => unknown][] = [
  ['event_id', 'text', (log) => log.eventId],
  ['ts', 'timestamptz', (log) => log.timestamp],
  ['app_id', 'text', (log) => log.appId],
  ['user_id', 'text', (log) => log.userId],
  ['session_id', 'text', (log) => log.sessionId],
  ['trace_id', 'text', (log) => log.traceId],
  ['span_id', 'text', (log) => log.spanId],
  ['provider', 'text', (log) => log.provider],
  ['model', 'text', (log) => log.model],
  ['operation', 'text', (log) => log.operation],
  ['prompt', 'text', (log) => log.prompt],
  ['response', 'text', (log) => log.response],
  ['prompt_truncated', 'boolean', (log) => log.promptTruncated],
  ['response_truncated', 'boolean', (log) => log.responseTruncated],
  ['input_tokens', 'integer', (log) => log.inputTokens],
  ['output_tokens', 'integer', (log) => log.outputTokens],
  ['cached_input_tokens', 'integer', (log) => log.cachedInputTokens],
  ['latency_ms', 'integer', (log) => log.latencyMs],
  ['time_to_first_token_ms', 'integer', (log) => log.timeToFirstTokenMs],
  ['status', 'text', (log) => log.status],
  ['error_type', 'text', (log) => log.errorType],
  ['error_message', 'text', (log) => log.errorMessage],
  ['cost', 'numeric', (log) => log.price.cost],
  ['currency', 'text', (log) => log.price.currency],
  ['cost_source', 'text', (log) => log.price.source],
  ['cost_config_id', 'uuid', (log) => log.price.configId],
  ['metadata', 'jsonb', (log) => JSON.stringify(log.metadata)],
  ['tags', 'text', (log) => arrayLiteral(log.tags)],
];

// One statement for the whole batch: each column travels as one array parameter and UNNEST turns
// them back into rows. Tags travel as array literals because UNNEST would flatten a text[][].
// app_log is partitioned by ts and cannot hold eventId unique, so each row first claims its eventId in
// app_log_event (with the id it will get); only the rows whose claim succeeded are written. A
// concurrent replay of the same eventId waits on the claim's key until the first writer commits (then
// claims nothing) or rolls back (then claims it), as the unique constraint did. The claim also records
// the log's trace and session, by which their logs are located (log.locator.ts).
const INSERT_SQL = new Prepared(
  'log_insert',
  `
  with batch as (
    select nextval('app_log_id_seq') as id, u.*
      from unnest(${INSERT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
        as u(${INSERT_COLUMNS.map(([name]) => name).join(', ')})
  ), claimed as (
    insert into app_log_event (event_id, ts, log_id, trace_id, session_id)
    select b.event_id, b.ts, b.id, b.trace_id, b.session_id from batch b
    on conflict (event_id) do nothing
    returning log_id
  )
  insert into app_log (id, ${INSERT_COLUMNS.map(([name]) => name).join(', ')})
  select b.id, ${INSERT_COLUMNS.map(([name]) => (name === 'tags' ? 'b.tags::text[]' : `b.${name}`)).join(', ')}
    from batch b join claimed c on c.log_id = b.id
  returning id, event_id`,
);

export class LogIngestService {
  private readonly storedListeners: StoredListener[] = [];
  private readonly gate: IngestGate;

  constructor(
    private readonly sql: Sql,
    private readonly pricer: LogPricer,
    private readonly policy: LogPolicy,
  ) {
    this.gate = new IngestGate(policy.limits.ingestConcurrency);
  }

  /** Lets other features (feedback links, metric rollups) write beside the logs, in the ingest transaction. */
  onStored(listener: StoredListener): void {
    this.storedListeners.push(listener);
  }

  /**
   * Validates, prices and stores a batch; answers only once the stored logs are committed. `alongside`
   * writes in the same transaction, last (OTLP stores a request's spans with its model calls, so one
   * commit covers both and a failure stores neither).
   */
  async ingest(inputs: LogInput[], prechecked?: ReadonlyMap<number, LogProblem[]>, alongside?: WriteAlongside): Promise<IngestResult> {
    if (inputs.length > this.policy.limits.ingestMaxBatch) {
      throw badUserInput('logs', `at most ${this.policy.limits.ingestMaxBatch} logs per call (got ${inputs.length}); split the batch`);
    }
    const now = new Date();
    const rejected: RejectedLog[] = [];
    const eventIds: (string | null)[] = [];
    const valid = new Map<string, NormalizedLog>();
    inputs.forEach((input, index) => {
      const result = validateLog(input, this.policy, now);
      const early = prechecked?.get(index) ?? [];
      if (!result.ok || early.length > 0) {
        rejected.push(...[...early, ...(result.ok ? [] : result.problems)].map((problem) => ({ index, ...problem })));
        eventIds.push(null);
        return;
      }
      eventIds.push(result.log.eventId);
      // A batch repeating an eventId stores its first occurrence; the others count as duplicates.
      if (!valid.has(result.log.eventId)) valid.set(result.log.eventId, result.log);
    });
    const validCount = eventIds.filter((id) => id !== null).length;
    if (valid.size === 0) {
      if (alongside) await this.gate.run(() => this.sql.transaction(alongside));
      return { accepted: 0, duplicates: validCount, rejected, eventIds };
    }

    const price = await this.pricer();
    // Sorted by eventId so that concurrent batches sharing eventIds take their locks in the same order.
    const logs = [...valid.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const priced = logs.map((log) => ({ ...log, price: price(log) }));
    const stored = await this.store(priced, alongside);
    return { accepted: stored.length, duplicates: validCount - stored.length, rejected, eventIds };
  }

  private async store(logs: PricedLog[], alongside?: WriteAlongside): Promise<StoredLog[]> {
    const values = INSERT_COLUMNS.map(([, , value]) => logs.map(value));
    const write = async (query: SqlQuery) => {
      const inserted = await query<{ id: string; event_id: string }>(INSERT_SQL, values);
      const ids = new Map(inserted.map((row) => [row.event_id, row.id]));
      const stored = logs.filter((log) => ids.has(log.eventId)).map((log) => ({ ...log, id: ids.get(log.eventId)! }));
      for (const listener of this.storedListeners) if (stored.length > 0) await listener(query, stored);
      if (alongside) await alongside(query);
      return stored;
    };
    return this.gate.run(() => (this.storedListeners.length === 0 && !alongside ? this.sql.withQuery(write) : this.sql.transaction(write)));
  }
}

/** A PostgreSQL text[] literal: every element quoted, with quotes and backslashes escaped. */
export function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
