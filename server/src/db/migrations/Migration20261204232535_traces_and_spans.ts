import { Migration } from '@mikro-orm/migrations';

export class Migration20261204232535_traces_and_spans extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "span" ("trace_id" text not null, "span_id" text not null, "parent_span_id" text null, "name" text not null, "kind" text not null, "start_time" timestamptz not null, "end_time" timestamptz not null, "duration_ms" int not null, "status" text not null, "error_message" text null, "input" text null, "output" text null, "input_truncated" boolean not null default false, "output_truncated" boolean not null default false, "attributes" jsonb not null default '{}', "app_id" text not null, "session_id" text null, "user_id" text null, "model" text null, "provider" text null, "input_tokens" int null, "output_tokens" int null, "received_at" timestamptz not null default now(), constraint "span_pkey" primary key ("trace_id", "span_id"));`,
    );

    this.addSql(
      `create table "trace_summary" ("trace_id" text not null, "name" text null, "has_root" boolean not null default false, "app_id" text null, "session_id" text null, "user_id" text null, "start_time" timestamptz not null, "end_time" timestamptz not null, "span_count" int not null, "error_count" int not null, constraint "trace_summary_pkey" primary key ("trace_id"));`,
    );
    this.addSql(
      `create index "trace_summary_session_index" on "trace_summary" ("session_id", "start_time") where "session_id" is not null;`,
    );
    this.addSql(
      `create index "trace_summary_user_start_index" on "trace_summary" ("user_id", "start_time" desc) where "user_id" is not null;`,
    );
    this.addSql(`create index "trace_summary_app_start_index" on "trace_summary" ("app_id", "start_time" desc);`);
    this.addSql(`create index "trace_summary_start_index" on "trace_summary" ("start_time" desc, "trace_id" desc);`);

    this.addSql(`alter table "app_log" add column "span_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "span" cascade;`);

    this.addSql(`drop table if exists "trace_summary" cascade;`);

    this.addSql(`alter table "app_log" drop column "span_id";`);
  }
}
