import { Migration } from '@mikro-orm/migrations';

/**
 * Every app_log index is paid by every ingested row; each kept one serves a query that needs it:
 * - primary key (id): the keyset tie-break of the logs list, log(id), retention's delete by id;
 * - app_log_event_id_unique: ingestion's idempotency on eventId, feedback linking by logEventId;
 * - app_log_ts_id_index (ts desc, id desc): the logs list's order and cursor, exact metrics over a
 *   range, retention's oldest-first scan. A BRIN cannot return rows in order, so this stays a B-tree;
 *   no query reads time alone without order or another filter that a BRIN would serve better;
 * - app_log_app_ts_index, app_log_model_ts_index, app_log_user_ts_index (partial): the logs list and
 *   exact metrics narrowed to an app, a model (also cost recomputation) or a user, values with many
 *   distinct entries where one of them may be a small share of the rows;
 * - app_log_error_ts_index (partial, status = ERROR): errors are rare, so listing them needs it;
 * - app_log_trace_index, app_log_session_index (partial): traces, sessions and feedback linking.
 * (provider, ts) is dropped: providers are a handful of values, each a large share of the rows, so the
 * logs list narrowed to one reads app_log_ts_id_index and skips the others' rows; metrics by provider
 * read the rollups, and cost recomputation narrows by model (which names its provider).
 */
export class Migration20261204235000_app_log_index_audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "app_log_provider_ts_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "app_log_provider_ts_index" on "app_log" ("provider", "ts" desc);`);
  }
}
