import { Migration } from '@mikro-orm/migrations';

export class Migration20261125123914_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "alert_rule" ("id" uuid not null default gen_random_uuid(), "name" text not null, "metric" text check ("metric" in ('ERROR_RATE', 'LATENCY_AVG', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'COST', 'TOKENS', 'REQUEST_COUNT', 'NEGATIVE_FEEDBACK_RATE')) not null, "operator" text check ("operator" in ('GT', 'GTE', 'LT', 'LTE', 'EQ', 'NEQ')) not null, "threshold" numeric(30,10) not null, "window_minutes" int not null, "app_id" text null, "model" text null, "min_samples" int not null default 1, "severity" text check ("severity" in ('INFO', 'WARNING', 'CRITICAL')) not null default 'WARNING', "cooldown_minutes" int not null default 60, "webhook_url" text null, "emails" text[] not null default '{}', "enabled" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "alert_rule_pkey" primary key ("id"), constraint alert_rule_window_check check (window_minutes > 0));`,
    );

    this.addSql(
      `create table "alert_record" ("id" uuid not null default gen_random_uuid(), "rule_id" uuid not null, "status" text check ("status" in ('FIRING', 'ACKNOWLEDGED', 'RESOLVED')) not null, "value" numeric(30,10) not null, "threshold" numeric(30,10) not null, "window_minutes" int not null, "severity" text check ("severity" in ('INFO', 'WARNING', 'CRITICAL')) not null, "fired_at" timestamptz not null, "acknowledged_at" timestamptz null, "acknowledged_by" text null, "resolved_at" timestamptz null, "resolved_by" text null, "last_notified_at" timestamptz null, constraint "alert_record_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "alert_record_fired_index" on "alert_record" ("fired_at" desc, "id" desc);`);
    this.addSql(`create unique index "alert_record_one_open_per_rule" on "alert_record" ("rule_id") where "status" <> 'RESOLVED';`);

    this.addSql(
      `create table "api_key" ("id" uuid not null default gen_random_uuid(), "name" text not null, "role" text check ("role" in ('INGEST', 'READ', 'ADMIN')) not null, "key_hash" text not null, "prefix" text not null, "created_at" timestamptz not null default now(), "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "api_key" add constraint "api_key_key_hash_unique" unique ("key_hash");`);
    this.addSql(`create index "api_key_revoked_at_index" on "api_key" ("revoked_at");`);

    this.addSql(
      `create table "app_log" ("id" bigserial primary key, "event_id" text not null, "ts" timestamptz not null, "received_at" timestamptz not null default now(), "app_id" text not null, "user_id" text null, "session_id" text null, "trace_id" text null, "provider" text not null, "model" text not null, "operation" text null, "prompt" text null, "response" text null, "prompt_truncated" boolean not null default false, "response_truncated" boolean not null default false, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "cached_input_tokens" int not null default 0, "latency_ms" int null, "time_to_first_token_ms" int null, "status" text check ("status" in ('SUCCESS', 'ERROR')) not null, "error_type" text null, "error_message" text null, "cost" numeric(20,10) null, "currency" text not null default 'USD', "cost_source" text check ("cost_source" in ('PROVIDED', 'CONFIG', 'BUILTIN', 'UNPRICED')) not null, "cost_config_id" uuid null, "metadata" jsonb not null default '{}', "tags" text[] not null default '{}');`,
    );
    this.addSql(`alter table "app_log" add constraint "app_log_event_id_unique" unique ("event_id");`);
    this.addSql(`create index "app_log_session_index" on "app_log" ("session_id") where "session_id" is not null;`);
    this.addSql(`create index "app_log_trace_index" on "app_log" ("trace_id") where "trace_id" is not null;`);
    this.addSql(`create index "app_log_error_ts_index" on "app_log" ("ts" desc) where "status" = 'ERROR';`);
    this.addSql(`create index "app_log_user_ts_index" on "app_log" ("user_id", "ts" desc) where "user_id" is not null;`);
    this.addSql(`create index "app_log_provider_ts_index" on "app_log" ("provider", "ts" desc);`);
    this.addSql(`create index "app_log_model_ts_index" on "app_log" ("model", "ts" desc);`);
    this.addSql(`create index "app_log_app_ts_index" on "app_log" ("app_id", "ts" desc);`);
    this.addSql(`create index "app_log_ts_id_index" on "app_log" ("ts" desc, "id" desc);`);

    this.addSql(
      `create table "model_cost_config" ("id" uuid not null default gen_random_uuid(), "provider" text not null, "model" text null, "model_pattern" text null, "input_price_per_million" numeric(20,10) not null, "output_price_per_million" numeric(20,10) not null, "cached_input_price_per_million" numeric(20,10) null, "currency" text not null default 'USD', "effective_from" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "model_cost_config_pkey" primary key ("id"), constraint model_cost_config_model_or_pattern_check check ((model is null) <> (model_pattern is null)));`,
    );
    this.addSql(
      `create unique index "model_cost_config_identity_unique" on "model_cost_config" (lower("provider"), coalesce("model", ''), coalesce("model_pattern", ''), coalesce("effective_from", '-infinity'));`,
    );

    this.addSql(
      `create table "user_feedback" ("id" uuid not null default gen_random_uuid(), "client_feedback_id" text null, "log_event_id" text null, "trace_id" text null, "log_id" bigint null, "app_id" text null, "user_id" text null, "rating" text check ("rating" in ('POSITIVE', 'NEGATIVE')) not null, "score" smallint null, "comment" text null, "category" text null, "status" text check ("status" in ('OPEN', 'RESOLVED')) not null default 'OPEN', "resolution_note" text null, "resolved_by" text null, "resolved_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "user_feedback_pkey" primary key ("id"), constraint user_feedback_score_check check (score is null or (score >= 1 and score <= 5)));`,
    );
    this.addSql(`alter table "user_feedback" add constraint "user_feedback_client_feedback_id_unique" unique ("client_feedback_id");`);
    this.addSql(`create index "user_feedback_log_index" on "user_feedback" ("log_id") where "log_id" is not null;`);
    this.addSql(`create index "user_feedback_trace_index" on "user_feedback" ("trace_id") where "trace_id" is not null;`);
    this.addSql(`create index "user_feedback_log_event_index" on "user_feedback" ("log_event_id") where "log_event_id" is not null;`);
    this.addSql(`create index "user_feedback_created_index" on "user_feedback" ("created_at" desc, "id" desc);`);

    this.addSql(
      `alter table "alert_record" add constraint "alert_record_rule_id_foreign" foreign key ("rule_id") references "alert_rule" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert_record" drop constraint "alert_record_rule_id_foreign";`);

    this.addSql(`drop table if exists "alert_rule" cascade;`);

    this.addSql(`drop table if exists "alert_record" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "app_log" cascade;`);

    this.addSql(`drop table if exists "model_cost_config" cascade;`);

    this.addSql(`drop table if exists "user_feedback" cascade;`);
  }
}
