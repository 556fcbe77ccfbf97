import DataLoader from 'dataloader';
import type { Logger } from 'pino';

import type { Principal } from '../auth/api-key.service.js';
import { SqlParams } from '../db/sql-params.js';
import type { Sql } from '../db/sql.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { decodeCursor, encodeCursor, pageSize } from '../graphql/pagination.js';
import type { LumenPubSub } from '../graphql/pubsub.js';
import { whereClause } from '../logs/log.where.js';
import { AlertStatus, type AlertRecord } from './alert-record.entity.js';
import { RECORD_COLUMNS, toRecord, type RecordRow } from './alert-record.row.js';
import type { AlertRecordConnection, AlertRecordFilter } from './alert-rule.types.js';
import { publishAlert } from './alert.events.js';
import type { AlertTransitions, Transition } from './alert.transitions.js';
import type { AlertDelivery } from './delivery/alert-delivery.entity.js';

/** Alert records: listing, and the changes people make (acknowledge, resolve). */
export class AlertRecordService {
  constructor(
    private readonly sql: Sql,
    private readonly transitions: AlertTransitions,
    private readonly pubsub: LumenPubSub,
    private readonly onQueued: () => void,
    private readonly log: Logger,
  ) {}

  /** Most recently fired first, by (firedAt, id), with the same keyset cursor as the other lists. */
  async list(
    filter: AlertRecordFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<AlertRecordConnection> {
    const limit = pageSize(first);
    const params = new SqlParams();
    const conditions: string[] = [];
    if (filter?.ruleId) conditions.push(`a.rule_id = ${params.add(uuidOrThrow(filter.ruleId, 'filter.ruleId'))}`);
    if (filter?.status?.length) conditions.push(`a.status = any(${params.add(filter.status)}::text[])`);
    if (filter?.severity) conditions.push(`a.severity = ${params.add(filter.severity)}`);
    if (filter?.from) conditions.push(`a.fired_at >= ${params.add(filter.from)}`);
    if (filter?.to) conditions.push(`a.fired_at < ${params.add(filter.to)}`);
    if (after) {
      const position = decodeCursor(after);
      conditions.push(
        `(a.fired_at, a.id) < (timestamptz 'epoch' + ${params.add(position.micros.toString())}::bigint * interval '1 microsecond', ${params.add(uuidOrThrow(position.id, 'after'))}::uuid)`,
      );
    }
    const rows = await this.sql.query<RecordRow>(
      `select ${RECORD_COLUMNS} from alert_record a join alert_rule r on r.id = a.rule_id
        ${whereClause(conditions)} order by a.fired_at desc, a.id desc limit ${limit + 1}`,
      params.values,
    );
    const edges = rows
      .slice(0, limit)
      .map((row) => ({ cursor: encodeCursor({ micros: BigInt(row.fired_micros), id: row.id }), node: toRecord(row) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  async get(id: string): Promise<AlertRecord | null> {
    const [row] = await this.sql.query<RecordRow>(
      `select ${RECORD_COLUMNS} from alert_record a join alert_rule r on r.id = a.rule_id where a.id = $1`,
      [uuidOrThrow(id)],
    );
    return row ? toRecord(row) : null;
  }

  /** FIRING becomes ACKNOWLEDGED (reminders stop). Acknowledging an acknowledged alert changes nothing; a resolved one is refused. */
  async acknowledge(id: string, by: Principal): Promise<AlertRecord> {
    const recordId = uuidOrThrow(id);
    const changed = await this.sql.transaction((query) => this.transitions.acknowledge(query, recordId, by.name, new Date()));
    if (changed) return this.announce(changed, by, 'acknowledged');
    const current = await this.get(recordId);
    if (!current) throw notFound('Alert', id);
    if (current.status === AlertStatus.RESOLVED) throw badUserInput('id', 'the alert is already resolved');
    return current;
  }

  /** Resolves an open alert by hand (a resolve notice goes out); if its rule still breaches, the next evaluation opens a new one. */
  async resolve(id: string, by: Principal): Promise<AlertRecord> {
    const recordId = uuidOrThrow(id);
    const changed = await this.sql.transaction((query) => this.transitions.resolve(query, recordId, by.name, new Date()));
    if (changed) return this.announce(changed, by, 'resolved');
    const current = await this.get(recordId);
    if (!current) throw notFound('Alert', id);
    return current;
  }

  /** A loader of each record's deliveries (oldest first) answering every record of a response with one query. */
  deliveriesLoader(): DataLoader<string, AlertDelivery[]> {
    return new DataLoader(async (recordIds) => {
      const rows = await this.sql.query<AlertDelivery & { recordId: string }>(
        `select id, record_id as "recordId", event, channel, channel_name as "channelName", target, status, attempts, last_attempt_at as "lastAttemptAt", last_error as "lastError",
                last_status_code as "lastStatusCode", sent_at as "sentAt", created_at as "createdAt"
           from alert_delivery where record_id = any($1::uuid[]) order by created_at, channel, target`,
        [recordIds],
      );
      const byRecord = new Map<string, AlertDelivery[]>();
      for (const row of rows) byRecord.set(row.recordId, [...(byRecord.get(row.recordId) ?? []), row]);
      return recordIds.map((recordId) => byRecord.get(recordId) ?? []);
    });
  }

  private announce(transition: Transition, by: Principal, what: string): AlertRecord {
    this.log.info({ alertId: transition.record.id, keyId: by.keyId }, `alert ${what}`);
    publishAlert(this.pubsub, transition.record, false);
    if (transition.queued > 0) this.onQueued();
    return transition.record;
  }
}
