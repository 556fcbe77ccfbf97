import { filter, pipe } from '@graphql-yoga/subscription';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { principalOf, requireRole } from '../auth/role.guard.js';
import type { LumenContext } from '../graphql/context.js';
import { notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { AlertRecord } from './alert-record.entity.js';
import { AlertRule } from './alert-rule.entity.js';
import { AlertRecordConnection, AlertRecordFilter } from './alert-rule.types.js';
import { AlertSilence } from './alert-silence.entity.js';
import { fromAlertEvent, type AlertEvent } from './alert.events.js';
import { AlertDelivery } from './delivery/alert-delivery.entity.js';

type Topic = 'alertFired' | 'alertUpdated';

/** Subscribes to a topic after checking the key's role, so a key that may not read is refused at once, not at every event. */
function alertStream(topic: Topic) {
  return ({ args, context }: SubscribeResolverData<unknown, { ruleId?: string | null }, LumenContext>) => {
    requireRole(context, [ApiKeyRole.READ]);
    const ruleId = args.ruleId ? uuidOrThrow(args.ruleId, 'ruleId') : null;
    return pipe(
      context.services.pubsub.subscribe(topic),
      filter((event: AlertEvent) => !ruleId || event.rule.id === ruleId),
    );
  };
}

@Resolver(() => AlertRecord)
export class AlertRecordResolver {
  @Authorized(ApiKeyRole.READ)
  @Query(() => AlertRecordConnection, {
    description: 'Alert records, most recently fired first, with keyset cursor paging. READ or ADMIN.',
  })
  alertRecords(
    @Ctx() { services }: LumenContext,
    @Arg('filter', () => AlertRecordFilter, { nullable: true }) filter: AlertRecordFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 500; 50 when absent.' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
  ): Promise<AlertRecordConnection> {
    return services.alerts.records.list(filter, first, after);
  }

  @Authorized(ApiKeyRole.READ)
  @Query(() => AlertRecord, { nullable: true, description: 'One alert record. READ or ADMIN.' })
  alertRecord(@Ctx() { services }: LumenContext, @Arg('id', () => ID) id: string): Promise<AlertRecord | null> {
    return services.alerts.records.get(id);
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => AlertRecord, {
    description: 'Marks a FIRING alert ACKNOWLEDGED (reminders stop), recording the key and the time. ADMIN.',
  })
  acknowledgeAlert(@Ctx() context: LumenContext, @Arg('id', () => ID) id: string): Promise<AlertRecord> {
    return context.services.alerts.records.acknowledge(id, principalOf(context));
  }

  @Authorized(ApiKeyRole.ADMIN)
  @Mutation(() => AlertRecord, {
    description:
      'Resolves an open alert by hand and sends the resolve notice; a rule still breaching fires anew at the next evaluation. ADMIN.',
  })
  resolveAlert(@Ctx() context: LumenContext, @Arg('id', () => ID) id: string): Promise<AlertRecord> {
    return context.services.alerts.records.resolve(id, principalOf(context));
  }

  @Subscription(() => AlertRecord, {
    subscribe: alertStream('alertFired'),
    description: 'Each alert as it fires, from whichever replica evaluated it. READ or ADMIN.',
  })
  alertFired(
    @Root() event: AlertEvent,
    @Arg('ruleId', () => ID, { nullable: true, description: 'Only alerts of this rule.' }) _ruleId: string | null,
  ): AlertRecord {
    return fromAlertEvent(event);
  }

  @Subscription(() => AlertRecord, {
    subscribe: alertStream('alertUpdated'),
    description: 'Every change of an alert: fired, acknowledged, resolved. READ or ADMIN.',
  })
  alertUpdated(
    @Root() event: AlertEvent,
    @Arg('ruleId', () => ID, { nullable: true, description: 'Only alerts of this rule.' }) _ruleId: string | null,
  ): AlertRecord {
    return fromAlertEvent(event);
  }

  @FieldResolver(() => AlertRule, { description: 'The rule that fired.' })
  async rule(@Root() record: AlertRecord, @Ctx() { loaders }: LumenContext): Promise<AlertRule> {
    const rule = await loaders.alertRule.load(record.rule.id);
    if (!rule) throw notFound('Alert rule', record.rule.id);
    return rule;
  }

  @Authorized(ApiKeyRole.READ)
  @FieldResolver(() => [AlertDelivery], {
    description: 'The notifications of this alert (webhook calls and emails), oldest first. READ or ADMIN.',
  })
  deliveries(@Root() record: AlertRecord, @Ctx() { loaders }: LumenContext): Promise<AlertDelivery[]> {
    return loaders.alertDeliveries.load(record.id);
  }

  @FieldResolver(() => Boolean, { description: 'The alert fired under a silence: it was recorded but notified no one.' })
  silenced(@Root() record: AlertRecord): boolean {
    return Boolean(record.silence);
  }

  @FieldResolver(() => AlertSilence, { nullable: true, description: 'The silence the alert fired under (its reason and who set it).' })
  async silence(@Root() record: AlertRecord, @Ctx() { loaders }: LumenContext): Promise<AlertSilence | null> {
    return record.silence ? loaders.alertSilence.load(record.silence.id) : null;
  }
}
