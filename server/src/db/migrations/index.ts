import type { MigrationObject } from '@mikro-orm/core';

import { Migration20261125123914_initial } from './Migration20261125123914_initial.js';
import { Migration20261125133422_feedback_resolution } from './Migration20261125133422_feedback_resolution.js';
import { Migration20261125133817_metric_rollups } from './Migration20261125133817_metric_rollups.js';
import { Migration20261125143110_alert_notifications } from './Migration20261125143110_alert_notifications.js';
import { Migration20261204225344_alert_channels_and_silences } from './Migration20261204225344_alert_channels_and_silences.js';
import { Migration20261204230043_ttft_throughput } from './Migration20261204230043_ttft_throughput.js';
import { Migration20261204231448_budget_anomaly_rules } from './Migration20261204231448_budget_anomaly_rules.js';
import { Migration20261204232535_traces_and_spans } from './Migration20261204232535_traces_and_spans.js';
import { Migration20261204235000_app_log_index_audit } from './Migration20261204235000_app_log_index_audit.js';
import { Migration20261204235253_log_content_search } from './Migration20261204235253_log_content_search.js';
import { Migration20261205032000_app_log_partitions } from './Migration20261205032000_app_log_partitions.js';
import { Migration20261205090000_span_partitions } from './Migration20261205090000_span_partitions.js';
import { Migration20261206080000_log_locator } from './Migration20261206080000_log_locator.js';
import { Migration20261206110000_log_id_locator } from './Migration20261206110000_log_id_locator.js';
import { Migration20261206190000_conversation_names } from './Migration20261206190000_conversation_names.js';

/**
 * Every migration in order. Create one with `pnpm --filter @lumen/server migration:create --name what`,
 * review it, and add it here; the migration test fails when the entities and these drift apart.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125123914_initial', class: Migration20261125123914_initial },
  { name: 'Migration20261125133422_feedback_resolution', class: Migration20261125133422_feedback_resolution },
  { name: 'Migration20261125133817_metric_rollups', class: Migration20261125133817_metric_rollups },
  { name: 'Migration20261125143110_alert_notifications', class: Migration20261125143110_alert_notifications },
  { name: 'Migration20261204225344_alert_channels_and_silences', class: Migration20261204225344_alert_channels_and_silences },
  { name: 'Migration20261204230043_ttft_throughput', class: Migration20261204230043_ttft_throughput },
  { name: 'Migration20261204231448_budget_anomaly_rules', class: Migration20261204231448_budget_anomaly_rules },
  { name: 'Migration20261204232535_traces_and_spans', class: Migration20261204232535_traces_and_spans },
  { name: 'Migration20261204235000_app_log_index_audit', class: Migration20261204235000_app_log_index_audit },
  { name: 'Migration20261204235253_log_content_search', class: Migration20261204235253_log_content_search },
  { name: 'Migration20261205032000_app_log_partitions', class: Migration20261205032000_app_log_partitions },
  { name: 'Migration20261205090000_span_partitions', class: Migration20261205090000_span_partitions },
  { name: 'Migration20261206080000_log_locator', class: Migration20261206080000_log_locator },
  { name: 'Migration20261206110000_log_id_locator', class: Migration20261206110000_log_id_locator },
  { name: 'Migration20261206190000_conversation_names', class: Migration20261206190000_conversation_names },
];
