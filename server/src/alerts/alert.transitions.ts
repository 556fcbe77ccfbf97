import type { SqlQuery } from '../db/sql.js';
import type { AlertRecord } from './alert-record.entity.js';
import { RECORD_COLUMNS, toRecord, type RecordRow } from './alert-record.row.js';
import type { AlertMetric, AlertOperator, AlertRuleKind, AlertSeverity } from './alert-rule.entity.js';
import { AlertEventKind } from './delivery/alert-delivery.entity.js';
import { queueNotifications, type OutboxOptions } from './delivery/alert-delivery.outbox.js';

/** What a firing records about the rule as it was evaluated. */
export interface Breach {
  ruleId: string;
  kind: AlertRuleKind;
  /** '' except for BUDGET alerts (FORECAST or SPENT). */
  stage: string;
  expected: string | null;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: string;
  windowMinutes: number;
  severity: AlertSeverity;
  value: string;
}

/** The outcome of a transition: the record as changed, and how many notifications were queued to send. */
export interface Transition {
  record: AlertRecord;
  queued: number;
}

/**
 * The state changes of an alert record, each one conditional SQL run inside the caller's transaction,
 * with the notifications it sends queued in the same transaction. Conditions make them safe to race:
 * two evaluators firing the same rule at once insert one record (the partial unique index decides), and
 * a record resolved twice is resolved (and announced) once.
 */
/**
 * The id of the silence in force at `at` that matches the rule aliased `r` (its newest-ending one), or
 * null. A matcher left null matches any rule; app and model matchers match rules scoped to them.
 */
function activeSilence(at: string): string {
  return `(select s.id from alert_silence s
            where s.starts_at <= ${at} and s.ends_at > ${at} and (s.rule_id is null or s.rule_id = r.id)
              and (s.app_id is null or s.app_id = r.app_id) and (s.model is null or s.model = r.model)
            order by s.ends_at desc, s.id limit 1)`;
}

export class AlertTransitions {
  constructor(private readonly options: OutboxOptions) {}

  /**
   * Opens a FIRING record unless the rule has an open one (or was deleted or disabled meanwhile): then null.
   * Under a silence the record is kept with its silence and notifies no one.
   */
  async fire(query: SqlQuery, breach: Breach, at: Date): Promise<Transition | null> {
    const [row] = await query<RecordRow>(
      `with inserted as (
         insert into alert_record (rule_id, status, metric, operator, value, threshold, window_minutes, severity, fired_at, last_notified_at, silence_id,
                                   kind, stage, expected)
         select r.id, 'FIRING', $2, $3, $4, $5, $6, $7, $8, $8, ${activeSilence('$8::timestamptz')}, $9, $10, $11 from alert_rule r where r.id = $1 and r.enabled
         on conflict (rule_id, stage) where status <> 'RESOLVED' do nothing
         returning *)
       select ${RECORD_COLUMNS} from inserted a join alert_rule r on r.id = a.rule_id`,
      [
        breach.ruleId,
        breach.metric,
        breach.operator,
        breach.value,
        breach.threshold,
        breach.windowMinutes,
        breach.severity,
        at,
        breach.kind,
        breach.stage,
        breach.expected,
      ],
    );
    return row ? this.announce(query, AlertEventKind.FIRED, toRecord(row), at) : null;
  }

  /** Notifies again about a record still FIRING whose last notification is at least `cooldownMinutes` old; nobody while a silence holds. */
  async remind(query: SqlQuery, recordId: string, cooldownMinutes: number, at: Date): Promise<Transition | null> {
    const [row] = await query<RecordRow & { silenced_now: boolean }>(
      `update alert_record a set last_notified_at = $2 from alert_rule r
        where a.id = $1 and r.id = a.rule_id and a.status = 'FIRING'
          and (a.last_notified_at is null or a.last_notified_at <= $2::timestamptz - make_interval(mins => $3))
        returning ${RECORD_COLUMNS}, ${activeSilence('$2::timestamptz')} is not null as silenced_now`,
      [recordId, at, cooldownMinutes],
    );
    if (!row) return null;
    const record = toRecord(row);
    return row.silenced_now ? { record, queued: 0 } : this.announce(query, AlertEventKind.REMINDER, record, at);
  }

  /**
   * Resolves the rule's open record of `stage` (every open record of the rule when stage is null), if any;
   * `by` is the key's name for a manual resolution, null when the condition cleared.
   */
  async resolveOpen(query: SqlQuery, ruleId: string, by: string | null, at: Date, stage: string | null = null): Promise<Transition | null> {
    const [row] = await query<RecordRow>(
      `update alert_record a set status = 'RESOLVED', resolved_at = $2, resolved_by = $3 from alert_rule r
        where a.rule_id = $1 and r.id = a.rule_id and a.status <> 'RESOLVED' and ($4::text is null or a.stage = $4)
        returning ${RECORD_COLUMNS}`,
      [ruleId, at, by, stage],
    );
    return row ? this.announce(query, AlertEventKind.RESOLVED, toRecord(row), at) : null;
  }

  /** Resolves one record by id unless it is resolved already: then null. */
  async resolve(query: SqlQuery, recordId: string, by: string | null, at: Date): Promise<Transition | null> {
    const [row] = await query<RecordRow>(
      `update alert_record a set status = 'RESOLVED', resolved_at = $2, resolved_by = $3 from alert_rule r
        where a.id = $1 and r.id = a.rule_id and a.status <> 'RESOLVED'
        returning ${RECORD_COLUMNS}`,
      [recordId, at, by],
    );
    return row ? this.announce(query, AlertEventKind.RESOLVED, toRecord(row), at) : null;
  }

  /** FIRING becomes ACKNOWLEDGED: reminders stop; PagerDuty channels acknowledge the incident. null unless FIRING. */
  async acknowledge(query: SqlQuery, recordId: string, by: string, at: Date): Promise<Transition | null> {
    const [row] = await query<RecordRow>(
      `update alert_record a set status = 'ACKNOWLEDGED', acknowledged_at = $2, acknowledged_by = $3 from alert_rule r
        where a.id = $1 and r.id = a.rule_id and a.status = 'FIRING'
        returning ${RECORD_COLUMNS}`,
      [recordId, at, by],
    );
    return row ? this.announce(query, AlertEventKind.ACKNOWLEDGED, toRecord(row), at) : null;
  }

  /** Queues the notifications of a change, unless the alert fired under a silence: then it tells no one, ever. */
  private async announce(query: SqlQuery, kind: AlertEventKind, record: AlertRecord, at: Date): Promise<Transition> {
    if (record.silence) return { record, queued: 0 };
    return { record, queued: await queueNotifications(query, kind, record, this.options, at) };
  }
}
