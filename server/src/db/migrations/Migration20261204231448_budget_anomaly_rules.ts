import { Migration } from '@mikro-orm/migrations';

export class Migration20261204231448_budget_anomaly_rules extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "alert_rule" add column "kind" text check ("kind" in ('THRESHOLD', 'BUDGET', 'ANOMALY')) not null default 'THRESHOLD', add column "budget_period" text check ("budget_period" in ('MONTH', 'CUSTOM')) null, add column "period_start" timestamptz null, add column "period_days" int null;`,
    );

    this.addSql(
      `alter table "alert_record" add column "kind" text check ("kind" in ('THRESHOLD', 'BUDGET', 'ANOMALY')) not null default 'THRESHOLD', add column "stage" text not null default '', add column "expected" numeric(30,10) null;`,
    );

    // A BUDGET rule has one open alert per stage (FORECAST, SPENT); other rules keep stage '' and one open alert.
    this.addSql(`drop index "alert_record_one_open_per_rule";`);
    this.addSql(
      `create unique index "alert_record_one_open_per_rule" on "alert_record" ("rule_id", "stage") where "status" <> 'RESOLVED';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "alert_record_one_open_per_rule";`);
    this.addSql(`delete from "alert_record" where "stage" = 'SPENT' and "status" <> 'RESOLVED';`);
    this.addSql(`create unique index "alert_record_one_open_per_rule" on "alert_record" ("rule_id") where "status" <> 'RESOLVED';`);

    this.addSql(`alter table "alert_record" drop column "kind", drop column "stage", drop column "expected";`);

    this.addSql(
      `alter table "alert_rule" drop column "kind", drop column "budget_period", drop column "period_start", drop column "period_days";`,
    );
  }
}
