import type { Logger } from 'pino';

import type { Sql, SqlQuery } from '../db/sql.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { LumenPubSub } from '../graphql/pubsub.js';
import { PeriodicJob } from '../jobs/periodic-job.js';
import { AlertStatus } from './alert-record.entity.js';
import { RECORD_COLUMNS, toRecord, type RecordRow } from './alert-record.row.js';
import { RULE_COLUMNS, type RuleRow } from './alert-rule.row.js';
import { assessRule, type JudgedRule } from './alert.assess.js';
import { publishAlert } from './alert.events.js';
import type { AlertMetricSource } from './alert.metrics.js';
import type { AlertTransitions, Breach, Transition } from './alert.transitions.js';
import type { EvaluatorLock } from './evaluator.lock.js';

type OpenRecord = { id: string; status: AlertStatus; lastNotifiedAt?: Date | null };

/** Open records are kept per rule and stage (a BUDGET rule may have a FORECAST and a SPENT alert open). */
const openKey = (ruleId: string, stage: string) => `${ruleId}/${stage}`;

export interface EvaluationReport {
  /** False when another replica holds the evaluator lock and this one did nothing. */
  evaluator: boolean;
  evaluated: number;
  fired: number;
  reminded: number;
  resolved: number;
  failed: number;
}

// Rules are measured a few at a time: one slow query does not hold up the others, and a large rule set
// does not take every connection of the pool.
const CONCURRENT_RULES = 4;

/** A stored rule in the shape assessRule takes. */
function judgedRule(rule: RuleRow): JudgedRule {
  return {
    kind: rule.kind,
    metric: rule.metric,
    operator: rule.operator,
    threshold: rule.threshold,
    windowMinutes: rule.window_minutes,
    appId: rule.app_id,
    model: rule.model,
    minSamples: rule.min_samples,
    budgetPeriod: rule.budget_period,
    periodStart: rule.period_start,
    periodDays: rule.period_days,
  };
}

/**
 * Evaluates every rule each interval on the replica that holds the evaluator lock. A breach opens one
 * FIRING record (never a second while one is open); while it lasts, reminders go out every cooldown
 * unless it is acknowledged; when the condition clears, or the window holds too few samples to judge,
 * or the rule is disabled, the record resolves. Each change is committed with its notifications queued
 * (the outbox), then pushed to subscribers, then the dispatcher is woken: evaluation never waits on a
 * webhook or a mail server.
 */
export class AlertEngine {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sql: Sql,
    private readonly transitions: AlertTransitions,
    private readonly source: AlertMetricSource,
    private readonly lock: EvaluatorLock,
    private readonly pubsub: LumenPubSub,
    private readonly onQueued: () => void,
    private readonly log: Logger,
  ) {}

  job(intervalMs: number): PeriodicJob {
    return new PeriodicJob('alert-engine', intervalMs, async () => void (await this.evaluateNow()), this.log);
  }

  /** Runs an evaluation after any under way, so it sees everything written before the call. */
  evaluateNow(): Promise<EvaluationReport> {
    const run = this.chain.then(() => this.evaluateAll());
    this.chain = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    await this.chain;
    await this.lock.release();
  }

  private async evaluateAll(): Promise<EvaluationReport> {
    const report: EvaluationReport = { evaluator: false, evaluated: 0, fired: 0, reminded: 0, resolved: 0, failed: 0 };
    if (!(await this.lock.acquire())) return report;
    report.evaluator = true;
    const rules = await this.sql.query<RuleRow>(`select ${RULE_COLUMNS} from alert_rule order by created_at, id`);
    const openRows = await this.sql.query<RecordRow>(
      `select ${RECORD_COLUMNS} from alert_record a join alert_rule r on r.id = a.rule_id where a.status <> 'RESOLVED'`,
    );
    const open = new Map(openRows.map((row) => [openKey(row.rule_id, row.stage), toRecord(row)]));
    const queue = [...rules];
    const worker = async () => {
      for (let rule = queue.shift(); rule; rule = queue.shift()) {
        try {
          await this.evaluateRule(rule, open, report);
        } catch (error) {
          report.failed++;
          if (isDatabaseUnavailable(error)) {
            this.log.warn({ err: error }, 'database unavailable: alert evaluation resumes at the next interval');
            queue.length = 0;
          } else {
            this.log.warn({ err: error, ruleId: rule.id }, 'alert rule could not be evaluated');
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_RULES }, worker));
    if (report.fired + report.resolved + report.reminded > 0 || report.failed > 0) this.log.info(report, 'alert rules evaluated');
    return report;
  }

  private async evaluateRule(rule: RuleRow, open: Map<string, OpenRecord>, report: EvaluationReport): Promise<void> {
    const now = new Date();
    if (!rule.enabled) {
      if ([...open.keys()].some((key) => key.startsWith(`${rule.id}/`)))
        await this.apply((query) => this.transitions.resolveOpen(query, rule.id, null, now), report, 'resolved');
      return;
    }
    report.evaluated++;
    // The window ends after the current millisecond, so a call stored just now is in it.
    const assessment = await assessRule(this.source, judgedRule(rule), new Date(now.getTime() + 1));
    this.log.debug({ ruleId: rule.id, assessment }, 'alert rule evaluated');
    for (const { stage, verdict, expected } of assessment.stages) {
      const record = open.get(openKey(rule.id, stage));
      if (verdict.kind === 'breach') {
        if (!record) {
          const breach: Breach = {
            ruleId: rule.id,
            kind: rule.kind,
            stage,
            metric: rule.metric,
            operator: rule.operator,
            threshold: rule.threshold,
            windowMinutes: rule.window_minutes,
            severity: rule.severity,
            value: verdict.value,
            expected,
          };
          await this.apply((query) => this.transitions.fire(query, breach, now), report, 'fired');
        } else if (record.status === AlertStatus.FIRING && rule.cooldown_minutes > 0) {
          const due = !record.lastNotifiedAt || now.getTime() - record.lastNotifiedAt.getTime() >= rule.cooldown_minutes * 60_000;
          if (due) await this.apply((query) => this.transitions.remind(query, record.id, rule.cooldown_minutes, now), report, 'reminded');
        }
      } else if (record) {
        await this.apply((query) => this.transitions.resolveOpen(query, rule.id, null, now, stage), report, 'resolved');
      }
    }
  }

  private async apply(
    change: (query: SqlQuery) => Promise<Transition | null>,
    report: EvaluationReport,
    counter: 'fired' | 'reminded' | 'resolved',
  ): Promise<void> {
    const transition = await this.sql.transaction(change);
    if (!transition) return;
    report[counter]++;
    this.log.info(
      {
        alertId: transition.record.id,
        ruleId: transition.record.rule.id,
        status: transition.record.status,
        event: counter,
        value: transition.record.value,
      },
      `alert ${counter}`,
    );
    if (counter !== 'reminded') publishAlert(this.pubsub, transition.record, counter === 'fired');
    if (transition.queued > 0) this.onQueued();
  }
}
