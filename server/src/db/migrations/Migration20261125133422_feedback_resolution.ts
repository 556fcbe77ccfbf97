import { Migration } from '@mikro-orm/migrations';

export class Migration20261125133422_feedback_resolution extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "user_feedback" add column "resolved_by_key_id" uuid null, add column "reopened_by" text null, add column "reopened_by_key_id" uuid null, add column "reopened_at" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "user_feedback" drop column "resolved_by_key_id", drop column "reopened_by", drop column "reopened_by_key_id", drop column "reopened_at";`,
    );
  }
}
