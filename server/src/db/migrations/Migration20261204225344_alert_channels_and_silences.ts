import { Migration } from '@mikro-orm/migrations';

export class Migration20261204225344_alert_channels_and_silences extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "alert_silence" ("id" uuid not null default gen_random_uuid(), "rule_id" uuid null, "app_id" text null, "model" text null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "reason" text not null, "created_by" text not null, "expired_by" text null, "created_at" timestamptz not null default now(), constraint "alert_silence_pkey" primary key ("id"), constraint alert_silence_window_check check (ends_at > starts_at));`,
    );
    this.addSql(`create index "alert_silence_ends_index" on "alert_silence" ("ends_at");`);

    this.addSql(
      `create table "notification_channel" ("id" uuid not null default gen_random_uuid(), "name" text not null, "kind" text check ("kind" in ('WEBHOOK', 'EMAIL', 'SLACK', 'FEISHU', 'DINGTALK', 'WECOM', 'PAGERDUTY')) not null, "url" text null, "secret" text null, "emails" text[] not null default '{}', "enabled" boolean not null default true, "disabled_reason" text null, "disabled_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "notification_channel_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "notification_channel" add constraint "notification_channel_name_unique" unique ("name");`);

    this.addSql(
      `create table "alert_rule_channel" ("rule_id" uuid not null, "channel_id" uuid not null, constraint "alert_rule_channel_pkey" primary key ("rule_id", "channel_id"));`,
    );

    this.addSql(
      `alter table "alert_silence" add constraint "alert_silence_rule_id_foreign" foreign key ("rule_id") references "alert_rule" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "alert_rule_channel" add constraint "alert_rule_channel_rule_id_foreign" foreign key ("rule_id") references "alert_rule" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "alert_rule_channel" add constraint "alert_rule_channel_channel_id_foreign" foreign key ("channel_id") references "notification_channel" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "alert_delivery" drop constraint if exists "alert_delivery_event_check";`);
    this.addSql(`alter table "alert_delivery" drop constraint if exists "alert_delivery_channel_check";`);

    this.addSql(`alter table "alert_rule" add column "language" text not null default 'en';`);

    this.addSql(`alter table "alert_record" add column "silence_id" uuid null;`);
    this.addSql(
      `alter table "alert_record" add constraint "alert_record_silence_id_foreign" foreign key ("silence_id") references "alert_silence" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "alert_delivery" add column "channel_id" uuid null, add column "channel_name" text null;`);
    this.addSql(
      `alter table "alert_delivery" add constraint "alert_delivery_channel_id_foreign" foreign key ("channel_id") references "notification_channel" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "alert_delivery" add constraint "alert_delivery_event_check" check("event" in ('FIRED', 'REMINDER', 'ACKNOWLEDGED', 'RESOLVED'));`,
    );
    this.addSql(
      `alter table "alert_delivery" add constraint "alert_delivery_channel_check" check("channel" in ('WEBHOOK', 'EMAIL', 'SLACK', 'FEISHU', 'DINGTALK', 'WECOM', 'PAGERDUTY'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert_record" drop constraint "alert_record_silence_id_foreign";`);

    this.addSql(`alter table "alert_delivery" drop constraint "alert_delivery_channel_id_foreign";`);

    this.addSql(`alter table "alert_rule_channel" drop constraint "alert_rule_channel_channel_id_foreign";`);

    this.addSql(`drop table if exists "alert_silence" cascade;`);

    this.addSql(`drop table if exists "notification_channel" cascade;`);

    this.addSql(`drop table if exists "alert_rule_channel" cascade;`);

    this.addSql(`alter table "alert_delivery" drop constraint if exists "alert_delivery_event_check";`);
    this.addSql(`alter table "alert_delivery" drop constraint if exists "alert_delivery_channel_check";`);

    this.addSql(`alter table "alert_delivery" drop column "channel_id", drop column "channel_name";`);

    this.addSql(
      `alter table "alert_delivery" add constraint "alert_delivery_event_check" check("event" in ('FIRED', 'REMINDER', 'RESOLVED'));`,
    );
    this.addSql(`alter table "alert_delivery" add constraint "alert_delivery_channel_check" check("channel" in ('WEBHOOK', 'EMAIL'));`);

    this.addSql(`alter table "alert_record" drop column "silence_id";`);

    this.addSql(`alter table "alert_rule" drop column "language";`);
  }
}
