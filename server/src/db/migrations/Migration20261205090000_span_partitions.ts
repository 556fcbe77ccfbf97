import { Migration } from '@mikro-orm/migrations';

/** The span columns, in table order (as Migration20261204232535_traces_and_spans made them). */
const COLUMNS = `"trace_id", "span_id", "parent_span_id", "name", "kind", "start_time", "end_time", "duration_ms", "status", "error_message", "input", "output", "input_truncated", "output_truncated", "attributes", "app_id", "session_id", "user_id", "model", "provider", "input_tokens", "output_tokens", "received_at"`;

const CREATE = (primaryKey: string, partitioned: boolean) =>
  `create table "span" ("trace_id" text not null, "span_id" text not null, "parent_span_id" text null, "name" text not null, "kind" text not null, "start_time" timestamptz not null, "end_time" timestamptz not null, "duration_ms" int not null, "status" text not null, "error_message" text null, "input" text null, "output" text null, "input_truncated" boolean not null default false, "output_truncated" boolean not null default false, "attributes" jsonb not null default '{}', "app_id" text not null, "session_id" text null, "user_id" text null, "model" text null, "provider" text null, "input_tokens" int null, "output_tokens" int null, "received_at" timestamptz not null default now(), constraint "span_pkey" primary key (${primaryKey}))${partitioned ? ' partition by range ("start_time")' : ''};`;

/** Days (UTC) ahead of today that get a partition now; the server's partition job keeps them coming. */
const DAYS_AHEAD = 3;

/**
 * span becomes a table partitioned by range of start_time, one partition per UTC day (span_pYYYYMMDD)
 * plus span_default, as app_log is (Migration20261205032000_app_log_partitions): retention drops whole
 * days of spans and a day's spans live in their own table. Every row is copied into the new table in
 * this one transaction (the old table is locked meanwhile).
 *
 * The primary key must contain the partition key, so it becomes (trace_id, span_id, start_time). That
 * keeps an exporter's retry idempotent: a span is resent with its own start time, so it meets its first
 * copy in the same partition and the same key. (A span id of one trace sent again with another start
 * would now be a second row; no exporter does that.)
 */
export class Migration20261205090000_span_partitions extends Migration {
  override async up(): Promise<void> {
    const days = (await this.execute(
      `select distinct to_char(date_trunc('day', "start_time" at time zone 'UTC'), 'YYYY-MM-DD') as day from "span"
       union select to_char(date_trunc('day', now() at time zone 'UTC') + make_interval(days => d), 'YYYY-MM-DD')
         from generate_series(-1, ${DAYS_AHEAD}) d
       order by day`,
    )) as { day: string }[];
    this.addSql(`alter table "span" rename to "span_unpartitioned";`);
    this.addSql(`alter table "span_unpartitioned" rename constraint "span_pkey" to "span_unpartitioned_pkey";`);
    this.addSql(CREATE(`"trace_id", "span_id", "start_time"`, true));
    this.addSql(`create table "span_default" partition of "span" default;`);
    for (const { day } of days) {
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      this.addSql(
        `create table "span_p${day.replaceAll('-', '')}" partition of "span" for values from ('${day} 00:00:00+00') to ('${next} 00:00:00+00');`,
      );
    }
    this.addSql(`insert into "span" (${COLUMNS}) select ${COLUMNS} from "span_unpartitioned";`);
    this.addSql(`drop table "span_unpartitioned";`);
    this.addSql(`analyze "span";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "span" rename to "span_partitioned";`);
    this.addSql(`alter table "span_partitioned" rename constraint "span_pkey" to "span_partitioned_pkey";`);
    this.addSql(CREATE(`"trace_id", "span_id"`, false));
    // A span id stored twice with two start times (possible only after this migration) keeps its first start.
    this.addSql(
      `insert into "span" (${COLUMNS}) select distinct on ("trace_id", "span_id") ${COLUMNS} from "span_partitioned" order by "trace_id", "span_id", "start_time";`,
    );
    this.addSql(`drop table "span_partitioned";`);
  }
}
