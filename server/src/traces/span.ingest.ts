import { Prepared, type Sql, type SqlQuery } from '../db/sql.js';
import { prepareSpans, type PreparedSpans, type SpanPolicy, type SpanRecord } from './span.prepare.js';

export type { SpanPolicy, SpanRecord } from './span.prepare.js';

const COLUMNS: [string, string, (span: SpanRecord) => unknown][] = [
  ['trace_id', 'text', (s) => s.traceId],
  ['span_id', 'text', (s) => s.spanId],
  ['parent_span_id', 'text', (s) => s.parentSpanId],
  ['name', 'text', (s) => s.name],
  ['kind', 'text', (s) => s.kind],
  ['start_time', 'timestamptz', (s) => s.startTime],
  ['end_time', 'timestamptz', (s) => s.endTime],
  ['duration_ms', 'integer', (s) => s.durationMs],
  ['status', 'text', (s) => s.status],
  ['error_message', 'text', (s) => s.errorMessage],
  ['input', 'text', (s) => s.input],
  ['output', 'text', (s) => s.output],
  ['input_truncated', 'boolean', (s) => s.inputTruncated],
  ['output_truncated', 'boolean', (s) => s.outputTruncated],
  ['attributes', 'jsonb', (s) => JSON.stringify(s.attributes)],
  ['app_id', 'text', (s) => s.appId],
  ['session_id', 'text', (s) => s.sessionId],
  ['user_id', 'text', (s) => s.userId],
  ['model', 'text', (s) => s.model],
  ['provider', 'text', (s) => s.provider],
  ['input_tokens', 'integer', (s) => s.inputTokens],
  ['output_tokens', 'integer', (s) => s.outputTokens],
];
const NAMES = COLUMNS.map(([name]) => name).join(', ');

/** How a trace's summary row takes in a batch's spans of that trace (`excluded`): first values kept, extents widened, counts added. */
const SUMMARY_UPSERT = `
  on conflict (trace_id) do update set
    name = coalesce(excluded.name, trace_summary.name),
    has_root = trace_summary.has_root or excluded.has_root,
    app_id = coalesce(trace_summary.app_id, excluded.app_id),
    session_id = coalesce(trace_summary.session_id, excluded.session_id),
    user_id = coalesce(trace_summary.user_id, excluded.user_id),
    start_time = least(trace_summary.start_time, excluded.start_time),
    end_time = greatest(trace_summary.end_time, excluded.end_time),
    span_count = trace_summary.span_count + excluded.span_count,
    error_count = trace_summary.error_count + excluded.error_count`;

/*
 * One statement per batch: the spans travel as one array per column (UNNEST), the ones not stored
 * before are inserted, and only those are added to their traces' summary rows. Summaries are upserted
 * in trace id order, so two requests adding to the same traces lock them in the same order. Used for
 * batches under COPY_MIN_SPANS, on the embedded database, and for a batch COPY refused as a retry.
 */
const STORE_SQL = new Prepared(
  'span_store',
  `
  with inserted as (
    insert into span (${NAMES})
    select ${NAMES}
      from unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) as u(${NAMES})
    on conflict (trace_id, span_id, start_time) do nothing
    returning trace_id, parent_span_id, name, app_id, session_id, user_id, start_time, end_time, status
  )
  insert into trace_summary (trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count)
  select trace_id,
         min(name) filter (where parent_span_id is null),
         bool_or(parent_span_id is null),
         min(app_id), min(session_id), min(user_id),
         min(start_time), max(end_time),
         count(*), count(*) filter (where status = 'ERROR')
    from inserted
   group by trace_id
   order by trace_id
  ${SUMMARY_UPSERT}`,
);

/** The spans by COPY, on PostgreSQL, for batches of COPY_MIN_SPANS or more: no array to parse and rows written in bulk. */
const COPY_SQL = `copy span (${NAMES}) from stdin`;

/** A batch's summaries, computed by the server (`summarize`) after a COPY stored every span of the batch. */
const SUMMARY_SQL = new Prepared(
  'span_summary',
  `
  insert into trace_summary (trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count)
  select * from unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                       $9::integer[], $10::integer[])
  ${SUMMARY_UPSERT}`,
);

/** The names that conversation-naming spans gave their traces' sessions (see SpanRecord.conversationName). */
const NAME_CONVERSATIONS_SQL = new Prepared(
  'span_conversation_name',
  `update trace_summary set conversation_name = u.name
     from unnest($1::text[], $2::text[]) as u(trace_id, name)
    where trace_summary.trace_id = u.trace_id`,
);

const UNIQUE_VIOLATION = '23505';

/**
 * The fewest spans a batch stores by COPY. Below it the one INSERT statement is cheaper than a savepoint,
 * the COPY and the summary statement: a single-span request (Dify exports each span as it ends) costs
 * about a fifth less server CPU and a tenth less PostgreSQL CPU that way, and at 20 spans the INSERT
 * takes half of PostgreSQL's CPU. From about 50 spans on, COPY costs less.
 */
export const COPY_MIN_SPANS = 50;

/** Stores spans set-based and keeps each trace's summary row, in one transaction. */
export class SpanIngestService {
  /** The fewest spans a batch stores by COPY (COPY_MIN_SPANS unless a test sets it). */
  readonly copyMinSpans: number;

  constructor(
    private readonly sql: Sql,
    private readonly policy: SpanPolicy,
    options: { copyMinSpans?: number } = {},
  ) {
    this.copyMinSpans = options.copyMinSpans ?? COPY_MIN_SPANS;
  }

  /** Whether a batch of `count` spans is stored by COPY (PostgreSQL, COPY_MIN_SPANS spans or more). */
  private copies(count: number): boolean {
    return this.sql.copies && count >= this.copyMinSpans;
  }

  /** Stores the spans in a transaction of their own, or in `query`'s (a transaction too) when given. */
  async store(spans: readonly SpanRecord[], query?: SqlQuery): Promise<void> {
    if (spans.length === 0) return;
    await this.storePrepared(prepareSpans(spans, this.policy, { copy: this.copies(spans.length) }), query);
  }

  /**
   * Stores a batch prepared by prepareSpans (here or on a worker thread). `reload` gives the batch's
   * records again when they did not travel with it (a worker's COPY batch) and COPY refuses the batch.
   */
  async storePrepared(batch: PreparedSpans, query?: SqlQuery, reload?: () => Promise<SpanRecord[]>): Promise<void> {
    if (batch.count === 0) return;
    const records = async () => {
      if (batch.records) return batch.records;
      if (!reload) throw new Error('a prepared batch without its records needs `reload` to store them by INSERT');
      return prepareSpans(await reload(), this.policy, { copy: false }).records!;
    };
    const write = async (transaction: SqlQuery) => {
      await (batch.copy && transaction.copy ? this.copy(batch.copy, records, transaction) : this.insert(await records(), transaction));
      await this.nameConversations(batch.names, transaction);
    };
    if (query) await write(query);
    else if (batch.copy && this.sql.copies) await this.sql.transaction(write);
    // The INSERT is one statement, and so a transaction by itself: no begin and commit round trips. A
    // conversation's name (once per conversation) follows it on the same connection; a retried export
    // sets it again.
    else await this.sql.withQuery(write);
  }

  /** Marks the traces of conversation-naming spans, with the names, on their summary rows (stored just before). */
  private async nameConversations([traceIds, names]: PreparedSpans['names'], query: SqlQuery): Promise<void> {
    if (traceIds.length === 0) return;
    await query(NAME_CONVERSATIONS_SQL, [traceIds, names]);
  }

  private async insert(spans: SpanRecord[], query: SqlQuery): Promise<void> {
    await query(
      STORE_SQL,
      COLUMNS.map(([, , value]) => spans.map(value)),
    );
  }

  /**
   * COPY stores every span or none. A batch holding a span stored before (an exporter's retry) fails
   * it on the key; the batch is then rolled back to its savepoint and stored by the INSERT, which
   * skips what is there. Otherwise every span is new, so the summaries computed from the batch
   * (prepareSpans) are the ones to add.
   */
  private async copy(copy: NonNullable<PreparedSpans['copy']>, records: () => Promise<SpanRecord[]>, query: SqlQuery): Promise<void> {
    await query('savepoint span_copy');
    try {
      await query.copy!(COPY_SQL, copy.rows);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await query('rollback to savepoint span_copy');
      return this.insert(await records(), query);
    }
    // The savepoint is left to the commit: releasing it would cost a round trip and change nothing.
    await query(SUMMARY_SQL, copy.summaries);
  }
}
