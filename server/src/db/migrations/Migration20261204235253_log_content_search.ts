import { Migration } from '@mikro-orm/migrations';

export class Migration20261204235253_log_content_search extends Migration {
  override async up(): Promise<void> {
    // The search in prompts and responses needs pg_trgm (a standard contrib extension; the embedded database loads it).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create index "app_log_content_trgm_index" on "app_log" using gin ((coalesce("prompt", '') || ' ' || coalesce("response", '')) gin_trgm_ops);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "app_log_content_trgm_index";`);
  }
}
