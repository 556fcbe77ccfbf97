import { Migration } from '@mikro-orm/migrations';

/** The app_log columns, in table order (as the earlier migrations left them). */
const COLUMNS = `"id", "event_id", "ts", "received_at", "app_id", "user_id", "session_id", "trace_id", "provider", "model", "operation", "prompt", "response", "prompt_truncated", "response_truncated", "input_tokens", "output_tokens", "cached_input_tokens", "latency_ms", "time_to_first_token_ms", "status", "error_type", "error_message", "cost", "currency", "cost_source", "cost_config_id", "metadata", "tags", "span_id"`;

/** Days (UTC) ahead of today that get a partition now; the server's partition job keeps them coming. */
const DAYS_AHEAD = 3;

/**
 * app_log becomes a table partitioned by range of ts, one partition per UTC day (app_log_pYYYYMMDD)
 * plus app_log_default for a day without its partition yet, so that retention drops whole days and
 * range queries read only their days' partitions. Every row is copied into the new table in this one
 * transaction (the old table is locked meanwhile; see the README, "Retention and partitions").
 *
 * A unique constraint on a partitioned table must contain the partition key, so eventId idempotency
 * moves to app_log_event (event_id primary key, with the log's ts and id): ingestion inserts there
 * first with ON CONFLICT DO NOTHING, in the same statement as the log, so a concurrent replay waits on
 * the first writer's key and stores nothing. The primary key of app_log becomes (id, ts).
 */
export class Migration20261205032000_app_log_partitions extends Migration {
  override async up(): Promise<void> {
    const days = (await this.execute(
      `select distinct to_char(date_trunc('day', "ts" at time zone 'UTC'), 'YYYY-MM-DD') as day from "app_log"
       union select to_char(date_trunc('day', now() at time zone 'UTC') + make_interval(days => d), 'YYYY-MM-DD')
         from generate_series(-1, ${DAYS_AHEAD}) d
       order by day`,
    )) as { day: string }[];
    // LOG_SEARCH_INDEX=false drops the trigram index at start-up: it is rebuilt only where it was there.
    const [search] = (await this.execute(`select to_regclass('app_log_content_trgm_index') is not null as present`)) as {
      present: boolean;
    }[];

    // The old table's indexes are dropped (their names go to the new table's); its sequence is kept.
    for (const index of [
      'app_log_ts_id_index',
      'app_log_app_ts_index',
      'app_log_model_ts_index',
      'app_log_user_ts_index',
      'app_log_error_ts_index',
      'app_log_trace_index',
      'app_log_session_index',
      'app_log_content_trgm_index',
      'app_log_provider_ts_index',
    ]) {
      this.addSql(`drop index if exists "${index}";`);
    }
    this.addSql(`alter table "app_log" rename to "app_log_unpartitioned";`);
    this.addSql(`alter table "app_log_unpartitioned" rename constraint "app_log_pkey" to "app_log_unpartitioned_pkey";`);
    this.addSql(
      `alter table "app_log_unpartitioned" rename constraint "app_log_event_id_unique" to "app_log_unpartitioned_event_id_unique";`,
    );
    this.addSql(`alter sequence "app_log_id_seq" owned by none;`);

    this.addSql(
      `create table "app_log" ("id" bigint not null default nextval('app_log_id_seq'), "event_id" text not null, "ts" timestamptz not null, "received_at" timestamptz not null default now(), "app_id" text not null, "user_id" text null, "session_id" text null, "trace_id" text null, "provider" text not null, "model" text not null, "operation" text null, "prompt" text null, "response" text null, "prompt_truncated" boolean not null default false, "response_truncated" boolean not null default false, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "cached_input_tokens" int not null default 0, "latency_ms" int null, "time_to_first_token_ms" int null, "status" text check ("status" in ('SUCCESS', 'ERROR')) not null, "error_type" text null, "error_message" text null, "cost" numeric(20,10) null, "currency" text not null default 'USD', "cost_source" text check ("cost_source" in ('PROVIDED', 'CONFIG', 'BUILTIN', 'UNPRICED')) not null, "cost_config_id" uuid null, "metadata" jsonb not null default '{}', "tags" text[] not null default '{}', "span_id" text null, constraint "app_log_pkey" primary key ("id", "ts")) partition by range ("ts");`,
    );
    this.addSql(`alter sequence "app_log_id_seq" owned by "app_log"."id";`);
    this.addSql(`create table "app_log_default" partition of "app_log" default;`);
    for (const { day } of days) {
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      this.addSql(
        `create table "app_log_p${day.replaceAll('-', '')}" partition of "app_log" for values from ('${day} 00:00:00+00') to ('${next} 00:00:00+00');`,
      );
    }
    this.addSql(`insert into "app_log" (${COLUMNS}) select ${COLUMNS} from "app_log_unpartitioned";`);

    this.addSql(
      `create table "app_log_event" ("event_id" text not null, "ts" timestamptz not null, "log_id" bigint not null, constraint "app_log_event_pkey" primary key ("event_id"));`,
    );
    this.addSql(`insert into "app_log_event" ("event_id", "ts", "log_id") select "event_id", "ts", "id" from "app_log_unpartitioned";`);
    this.addSql(`create index "app_log_event_ts_index" on "app_log_event" using brin ("ts");`);
    this.addSql(`drop table "app_log_unpartitioned";`);

    this.addSql(`create index "app_log_ts_id_index" on "app_log" ("ts" desc, "id" desc);`);
    this.addSql(`create index "app_log_app_ts_index" on "app_log" ("app_id", "ts" desc);`);
    this.addSql(`create index "app_log_model_ts_index" on "app_log" ("model", "ts" desc);`);
    this.addSql(`create index "app_log_user_ts_index" on "app_log" ("user_id", "ts" desc) where "user_id" is not null;`);
    this.addSql(`create index "app_log_error_ts_index" on "app_log" ("ts" desc) where "status" = 'ERROR';`);
    this.addSql(`create index "app_log_trace_index" on "app_log" ("trace_id") where "trace_id" is not null;`);
    this.addSql(`create index "app_log_session_index" on "app_log" ("session_id") where "session_id" is not null;`);
    if (search?.present) {
      this.addSql(
        `create index "app_log_content_trgm_index" on "app_log" using gin ((coalesce("prompt", '') || ' ' || coalesce("response", '')) gin_trgm_ops);`,
      );
    }
    this.addSql(`analyze "app_log";`);
    this.addSql(`analyze "app_log_event";`);
  }

  override async down(): Promise<void> {
    const [search] = (await this.execute(`select to_regclass('app_log_content_trgm_index') is not null as present`)) as {
      present: boolean;
    }[];
    for (const index of [
      'app_log_ts_id_index',
      'app_log_app_ts_index',
      'app_log_model_ts_index',
      'app_log_user_ts_index',
      'app_log_error_ts_index',
      'app_log_trace_index',
      'app_log_session_index',
      'app_log_content_trgm_index',
    ]) {
      this.addSql(`drop index if exists "${index}";`);
    }
    this.addSql(`alter table "app_log" rename to "app_log_partitioned";`);
    this.addSql(`alter table "app_log_partitioned" rename constraint "app_log_pkey" to "app_log_partitioned_pkey";`);
    this.addSql(`alter sequence "app_log_id_seq" owned by none;`);
    this.addSql(
      `create table "app_log" ("id" bigint not null default nextval('app_log_id_seq') primary key, "event_id" text not null, "ts" timestamptz not null, "received_at" timestamptz not null default now(), "app_id" text not null, "user_id" text null, "session_id" text null, "trace_id" text null, "provider" text not null, "model" text not null, "operation" text null, "prompt" text null, "response" text null, "prompt_truncated" boolean not null default false, "response_truncated" boolean not null default false, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "cached_input_tokens" int not null default 0, "latency_ms" int null, "time_to_first_token_ms" int null, "status" text check ("status" in ('SUCCESS', 'ERROR')) not null, "error_type" text null, "error_message" text null, "cost" numeric(20,10) null, "currency" text not null default 'USD', "cost_source" text check ("cost_source" in ('PROVIDED', 'CONFIG', 'BUILTIN', 'UNPRICED')) not null, "cost_config_id" uuid null, "metadata" jsonb not null default '{}', "tags" text[] not null default '{}', "span_id" text null);`,
    );
    this.addSql(`alter sequence "app_log_id_seq" owned by "app_log"."id";`);
    this.addSql(`insert into "app_log" (${COLUMNS}) select ${COLUMNS} from "app_log_partitioned";`);
    this.addSql(`drop table "app_log_partitioned";`);
    this.addSql(`drop table "app_log_event";`);
    this.addSql(`alter table "app_log" add constraint "app_log_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "app_log_ts_id_index" on "app_log" ("ts" desc, "id" desc);`);
    this.addSql(`create index "app_log_app_ts_index" on "app_log" ("app_id", "ts" desc);`);
    this.addSql(`create index "app_log_model_ts_index" on "app_log" ("model", "ts" desc);`);
    this.addSql(`create index "app_log_user_ts_index" on "app_log" ("user_id", "ts" desc) where "user_id" is not null;`);
    this.addSql(`create index "app_log_error_ts_index" on "app_log" ("ts" desc) where "status" = 'ERROR';`);
    this.addSql(`create index "app_log_trace_index" on "app_log" ("trace_id") where "trace_id" is not null;`);
    this.addSql(`create index "app_log_session_index" on "app_log" ("session_id") where "session_id" is not null;`);
    if (search?.present) {
      this.addSql(
        `create index "app_log_content_trgm_index" on "app_log" using gin ((coalesce("prompt", '') || ' ' || coalesce("response", '')) gin_trgm_ops);`,
      );
    }
  }
}
