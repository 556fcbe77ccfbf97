import { Migration } from '@mikro-orm/migrations';

/**
 * app_log_event also records each log's trace and session, with partial indexes on (trace_id, ts) and
 * (session_id, ts): the times of a trace's or a session's logs are then found without reading app_log,
 * and the logs themselves are read from the day partitions of those times only. Without it, every
 * lookup of logs by trace or session opened every day partition of app_log (a year of them made
 * trace() take about 100 ms). Existing rows are filled from their logs in this migration.
 */
export class Migration20261206080000_log_locator extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_log_event" add column "trace_id" text null, add column "session_id" text null;`);
    this.addSql(
      `update "app_log_event" e set "trace_id" = l."trace_id", "session_id" = l."session_id"
         from "app_log" l
        where l."id" = e."log_id" and l."ts" = e."ts" and (l."trace_id" is not null or l."session_id" is not null);`,
    );
    this.addSql(`create index "app_log_event_trace_index" on "app_log_event" ("trace_id", "ts") where "trace_id" is not null;`);
    this.addSql(`create index "app_log_event_session_index" on "app_log_event" ("session_id", "ts") where "session_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "app_log_event_session_index";`);
    this.addSql(`drop index "app_log_event_trace_index";`);
    this.addSql(`alter table "app_log_event" drop column "session_id", drop column "trace_id";`);
  }
}
