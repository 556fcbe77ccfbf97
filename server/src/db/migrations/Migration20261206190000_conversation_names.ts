import { Migration } from '@mikro-orm/migrations';

/**
 * A trace that names its conversation (Dify's `generate_conversation_name`) is marked on its summary row
 * with the name it gave: sessions count it out of their turns and take the name from it.
 */
export class Migration20261206190000_conversation_names extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "trace_summary" add column "conversation_name" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "trace_summary" drop column "conversation_name";`);
  }
}
