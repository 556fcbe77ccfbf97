import { Migration } from '@mikro-orm/migrations';

export class Migration20261125143110_alert_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "alert_delivery" ("id" uuid not null default gen_random_uuid(), "record_id" uuid not null, "event" text check ("event" in ('FIRED', 'REMINDER', 'RESOLVED')) not null, "channel" text check ("channel" in ('WEBHOOK', 'EMAIL')) not null, "target" text not null, "payload" text not null, "status" text check ("status" in ('PENDING', 'SENT', 'FAILED', 'SKIPPED')) not null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "locked_until" timestamptz null, "last_attempt_at" timestamptz null, "last_error" text null, "last_status_code" int null, "sent_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "alert_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "alert_delivery_record_index" on "alert_delivery" ("record_id", "created_at");`);
    this.addSql(`create index "alert_delivery_due_index" on "alert_delivery" ("next_attempt_at") where "status" = 'PENDING';`);

    this.addSql(
      `alter table "alert_delivery" add constraint "alert_delivery_record_id_foreign" foreign key ("record_id") references "alert_record" ("id") on update cascade on delete cascade;`,
    );

    // Rules made before webhooks were signed get a secret of their own (two v4 UUIDs: 244 random bits).
    this.addSql(`alter table "alert_rule" add column "webhook_secret" text null;`);
    this.addSql(
      `update "alert_rule" set "webhook_secret" = 'whsec_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');`,
    );
    this.addSql(`alter table "alert_rule" alter column "webhook_secret" set not null;`);

    // Records made before these columns take their rule's current metric and operator.
    this.addSql(
      `alter table "alert_record" add column "metric" text check ("metric" in ('ERROR_RATE', 'LATENCY_AVG', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'COST', 'TOKENS', 'REQUEST_COUNT', 'NEGATIVE_FEEDBACK_RATE')) null, add column "operator" text check ("operator" in ('GT', 'GTE', 'LT', 'LTE', 'EQ', 'NEQ')) null;`,
    );
    this.addSql(
      `update "alert_record" r set "metric" = u."metric", "operator" = u."operator" from "alert_rule" u where u."id" = r."rule_id";`,
    );
    this.addSql(`alter table "alert_record" alter column "metric" set not null, alter column "operator" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alert_delivery" cascade;`);

    this.addSql(`alter table "alert_record" drop column "metric", drop column "operator";`);

    this.addSql(`alter table "alert_rule" drop column "webhook_secret";`);
  }
}
