import { findRedisServer, startPrivateRedis, type PrivateRedis } from '@lumen/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { alertTestConfig, createRule, rate, recordsOf, subscribeToAlerts } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';
import { wsClient } from '../test/ws-client.js';
import { AlertMetric, AlertOperator, AlertRuleKind, AlertSeverity } from './alert-rule.entity.js';

const redisUrl = inject('redisUrl');
const sharedDatabase = testDatabases().find((database) => database.name === 'postgres');

/** Two server replicas on one PostgreSQL and one Redis, as behind a load balancer. */
async function startReplicas(redis: string): Promise<{ a: TestLumen; b: TestLumen; drop: () => Promise<void> }> {
  const created = await sharedDatabase!.create();
  // A starts first and takes the evaluator lock at its first run; B finds it taken.
  const a = await startTestLumen(created.config, { ...alertTestConfig(), redisUrl: redis });
  await a.lumen.services.alerts.engine.evaluateNow();
  const b = await startTestLumen(created.config, { ...alertTestConfig(), redisUrl: redis });
  return { a, b, drop: created.drop };
}

// Replicas need a shared PostgreSQL and Redis; these run only when both answered in the global setup
// (which says so when one did not).
if (redisUrl && sharedDatabase) {
  describe('alerts on two replicas', () => {
    let a: TestLumen;
    let b: TestLumen;
    let drop: () => Promise<void>;
    let hook: WebhookReceiver;

    beforeAll(async () => {
      hook = await startWebhookReceiver();
      ({ a, b, drop } = await startReplicas(redisUrl));
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await hook?.close();
      await drop?.();
    });

    it('evaluates on one replica only, fires one record, and pushes it to a subscriber of the other', async () => {
      const rule = await createRule(b, { name: 'Across', appId: 'replicas', webhookUrl: hook.url });
      const { client } = wsClient(b.url, await b.createKey(ApiKeyRole.READ));
      try {
        const fired = subscribeToAlerts(
          client,
          'subscription($ruleId: ID) { alertFired(ruleId: $ruleId) { id status rule { id name } } }',
          { ruleId: rule.id },
        );
        await b.lumen.services.pubsub.whenSubscribed('alertFired');
        await a.lumen.services.pubsub.whenConnected();

        await rate(b, 'replicas', 2);
        const [onA, onB] = await Promise.all([a.lumen.services.alerts.engine.evaluateNow(), b.lumen.services.alerts.engine.evaluateNow()]);
        expect(onA).toMatchObject({ evaluator: true, fired: 1 });
        expect(onB).toMatchObject({ evaluator: false, evaluated: 0, fired: 0 });

        const [event] = await fired.next(1);
        const records = await recordsOf(b, rule.id);
        expect(records).toHaveLength(1);
        expect(event!.data!.alertFired).toEqual({ id: records[0]!.id, status: 'FIRING', rule: { id: rule.id, name: 'Across' } });
        expect((await hook.waitForCalls(1))[0]!.json).toMatchObject({ type: 'alert.fired' });
      } finally {
        await client.dispose();
      }
    });

    it('opens one record when both replicas fire the same rule at the same moment', async () => {
      const rule = await createRule(a, { appId: 'race', webhookUrl: hook.url });
      const breach = {
        ruleId: rule.id,
        metric: AlertMetric.NEGATIVE_FEEDBACK_RATE,
        operator: AlertOperator.GT,
        threshold: '0.5',
        windowMinutes: 5,
        severity: AlertSeverity.WARNING,
        value: '1',
        kind: AlertRuleKind.THRESHOLD,
        stage: '',
        expected: null,
      };
      const fire = (replica: TestLumen) =>
        replica.lumen.services.sql.transaction((query) => replica.lumen.services.alerts.transitions.fire(query, breach, new Date()));
      const outcomes = await Promise.all([fire(a), fire(b), fire(a), fire(b)]);
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const [record] = await recordsOf(a, rule.id);
      const [{ n }] = await a.lumen.services.sql.query<{ n: number }>(
        'select count(*)::int as n from alert_delivery where record_id = $1',
        [record!.id],
      );
      expect(n).toBe(1);
    });

    it('hands evaluation to the other replica when the evaluating one stops', async () => {
      const rule = await createRule(b, { appId: 'failover' });
      await a.stop();
      await rate(b, 'failover', 1);
      expect(await b.lumen.services.alerts.engine.evaluateNow()).toMatchObject({ evaluator: true, fired: 1 });
      expect(await recordsOf(b, rule.id)).toHaveLength(1);
    });
  });
}

if (sharedDatabase && findRedisServer()) {
  describe('alert push between replicas while Redis goes away and comes back', () => {
    let redis: PrivateRedis;
    let a: TestLumen;
    let b: TestLumen;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      redis = (await startPrivateRedis())!;
      ({ a, b, drop } = await startReplicas(redis.url));
    });
    afterAll(async () => {
      await b?.stop();
      await a?.stop();
      await redis?.stop();
      await drop?.();
    });

    it('keeps pushing to local subscribers without Redis, and across replicas again once it is back', async () => {
      const rules = [
        await createRule(a, { appId: 'outage-1' }),
        await createRule(a, { appId: 'outage-2' }),
        await createRule(a, { appId: 'outage-3' }),
      ];
      const [clientA, clientB] = [wsClient(a.url, a.adminKey).client, wsClient(b.url, b.adminKey).client];
      try {
        const onA = subscribeToAlerts(clientA, 'subscription { alertFired { rule { id } } }');
        const onB = subscribeToAlerts(clientB, 'subscription { alertFired { rule { id } } }');
        await Promise.all([a.lumen.services.pubsub.whenSubscribed('alertFired'), b.lumen.services.pubsub.whenSubscribed('alertFired')]);
        const ruleOf = (event: { data?: Record<string, { rule: { id: string } }> }) => event.data!.alertFired!.rule.id;

        await rate(a, 'outage-1', 1);
        await a.lumen.services.alerts.engine.evaluateNow();
        expect(ruleOf((await onB.next(1))[0]!)).toBe(rules[0]!.id);

        await redis.stop();
        await rate(a, 'outage-2', 1);
        expect(await a.lumen.services.alerts.engine.evaluateNow()).toMatchObject({ fired: 1 });
        expect((await onA.next(2)).map(ruleOf)).toEqual([rules[0]!.id, rules[1]!.id]);

        await redis.start();
        await Promise.all([a.lumen.services.pubsub.whenConnected(), b.lumen.services.pubsub.whenSubscribed('alertFired')]);
        await rate(a, 'outage-3', 1);
        await a.lumen.services.alerts.engine.evaluateNow();
        // The alert fired while Redis was down never reached B; the next one does.
        expect((await onB.next(2)).map(ruleOf)).toEqual([rules[0]!.id, rules[2]!.id]);
      } finally {
        await clientA.dispose();
        await clientB.dispose();
      }
    });
  });
} else if (sharedDatabase) {
  console.warn('\n  redis-server is not installed: the test of alert push through a Redis outage was NOT run.\n');
}
