import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { ALERT_RECORD_FIELDS, alertTestConfig, createRule, rate, recordsOf, subscribeToAlerts } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';
import { wsClient } from '../test/ws-client.js';

describe.each(testDatabases())('alert subscriptions on $name', (database) => {
  // A short interval: these alerts are fired by the scheduled evaluation, not by the test.
  const sut = useTestLumen(database, { ...alertTestConfig(), alertEvalIntervalSeconds: 1 });
  let readKey: string;

  beforeAll(async () => {
    readKey = await sut.createKey(ApiKeyRole.READ);
  });

  it('pushes alertFired to a graphql-ws client when the scheduled evaluation fires, and alertUpdated for each change', async () => {
    const rule = await createRule(sut, { name: 'Pushed', appId: 'push' });
    const { client } = wsClient(sut.url, readKey);
    try {
      const fired = subscribeToAlerts(client, `subscription($ruleId: ID) { alertFired(ruleId: $ruleId) { ${ALERT_RECORD_FIELDS} } }`, {
        ruleId: rule.id,
      });
      const updated = subscribeToAlerts(client, `subscription { alertUpdated { ${ALERT_RECORD_FIELDS} } }`);
      await sut.lumen.services.pubsub.whenSubscribed('alertFired');
      await sut.lumen.services.pubsub.whenSubscribed('alertUpdated');

      await rate(sut, 'push', 1);
      const [event] = await fired.next(1);
      const [record] = await recordsOf(sut, rule.id);
      expect(event!.data!.alertFired).toEqual(record);
      expect(event!.data!.alertFired).toMatchObject({
        status: 'FIRING',
        rule: { id: rule.id, name: 'Pushed' },
        value: '1',
        threshold: '0.5',
      });

      await sut.gql(`mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`, { id: record!.id });
      await sut.gql(`mutation($id: ID!) { resolveAlert(id: $id) { id } }`, { id: record!.id });
      const ours = async (count: number) =>
        (await updated.next(count)).map((e) => e.data!.alertUpdated!).filter((r) => r.rule.id === rule.id);
      let changes = await ours(3);
      // Other rules of this file may fire meanwhile: wait until this alert's three changes are in.
      for (let seen = 3; changes.length < 3;) changes = await ours(++seen);
      expect(changes.map((r) => [r.id, r.status])).toEqual([
        [record!.id, 'FIRING'],
        [record!.id, 'ACKNOWLEDGED'],
        [record!.id, 'RESOLVED'],
      ]);
      expect(changes[1]).toMatchObject({ acknowledgedBy: expect.stringContaining('admin') });
    } finally {
      await client.dispose();
    }
  });

  it('sends a subscriber only the alerts of the rule it asked for', async () => {
    const [wanted, other] = [await createRule(sut, { appId: 'only-this' }), await createRule(sut, { appId: 'not-this' })];
    const { client } = wsClient(sut.url, readKey);
    try {
      const fired = subscribeToAlerts(client, `subscription($ruleId: ID) { alertFired(ruleId: $ruleId) { id rule { id } } }`, {
        ruleId: wanted.id,
      });
      await sut.lumen.services.pubsub.whenSubscribed('alertFired');
      await rate(sut, 'not-this', 1);
      await sut.lumen.services.alerts.engine.evaluateNow();
      expect(await recordsOf(sut, other.id)).toHaveLength(1);
      await rate(sut, 'only-this', 1);
      const [event] = await fired.next(1);
      expect(event!.data!.alertFired!.rule.id).toBe(wanted.id);
      expect(fired.events).toHaveLength(1);
    } finally {
      await client.dispose();
    }
  });

  it('refuses the subscription to a key that may only ingest', async () => {
    const ingestKey = await sut.createKey(ApiKeyRole.INGEST);
    const { client } = wsClient(sut.url, ingestKey);
    try {
      const fired = subscribeToAlerts(client, 'subscription { alertFired { id } }');
      const [refusal] = await fired.next(1);
      expect(refusal!.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    } finally {
      await client.dispose();
    }
  });
});
