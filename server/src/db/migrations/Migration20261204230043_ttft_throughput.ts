import { Migration } from '@mikro-orm/migrations';

export class Migration20261204230043_ttft_throughput extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "alert_rule" drop constraint if exists "alert_rule_metric_check";`);

    this.addSql(`alter table "alert_record" drop constraint if exists "alert_record_metric_check";`);

    this.addSql(
      `alter table "alert_rule" add constraint "alert_rule_metric_check" check("metric" in ('ERROR_RATE', 'LATENCY_AVG', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'COST', 'TOKENS', 'REQUEST_COUNT', 'NEGATIVE_FEEDBACK_RATE', 'TTFT_P50', 'TTFT_P95', 'OUTPUT_TOKENS_PER_SECOND'));`,
    );

    this.addSql(
      `alter table "alert_record" add constraint "alert_record_metric_check" check("metric" in ('ERROR_RATE', 'LATENCY_AVG', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'COST', 'TOKENS', 'REQUEST_COUNT', 'NEGATIVE_FEEDBACK_RATE', 'TTFT_P50', 'TTFT_P95', 'OUTPUT_TOKENS_PER_SECOND'));`,
    );

    this.addSql(`alter table "metric_pending" add column "ttft_ms" int null;`);

    this.addSql(
      `alter table "metric_rollup" add column "ttft_count" bigint not null default 0, add column "ttft_sum" bigint not null default 0, add column "generation_tokens" bigint not null default 0, add column "generation_ms" bigint not null default 0, add column "ttft_hist" bytea not null default '';`,
    );
    this.addSql(`alter table "metric_rollup" alter column "ttft_hist" drop default;`);

    // Rollups made before hold no TTFT or throughput: every stored log goes back to metric_pending, and
    // the compactor folds it in again, in batches. Reads add pending rows, so they stay exact meanwhile.
    this.addSql(`delete from "metric_rollup";`);
    this.addSql(`delete from "metric_pending";`);
    this.addSql(
      `insert into "metric_pending" ("ts", "app_id", "provider", "model", "user_id", "requests", "errors", "latency_ms", "input_tokens", "output_tokens", "cost", "ttft_ms") select "ts", "app_id", "provider", "model", "user_id", 1, ("status" = 'ERROR')::int, "latency_ms", "input_tokens", "output_tokens", "cost", "time_to_first_token_ms" from "app_log" order by "ts";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert_record" drop constraint if exists "alert_record_metric_check";`);

    this.addSql(`alter table "alert_rule" drop constraint if exists "alert_rule_metric_check";`);

    this.addSql(
      `alter table "alert_record" add constraint "alert_record_metric_check" check("metric" in ('ERROR_RATE', 'LATENCY_AVG', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'COST', 'TOKENS', 'REQUEST_COUNT', 'NEGATIVE_FEEDBACK_RATE'));`,
    );

    this.addSql(
      `alter table "alert_rule" add constraint "alert_rule_metric_check" check("metric" in ('ERROR_RATE', 'LATENCY_AVG', 'LATENCY_P50', 'LATENCY_P95', 'LATENCY_P99', 'COST', 'TOKENS', 'REQUEST_COUNT', 'NEGATIVE_FEEDBACK_RATE'));`,
    );

    this.addSql(`alter table "metric_pending" drop column "ttft_ms";`);

    this.addSql(
      `alter table "metric_rollup" drop column "ttft_count", drop column "ttft_sum", drop column "generation_tokens", drop column "generation_ms", drop column "ttft_hist";`,
    );
  }
}
