import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ALERT_RECORD_FIELDS,
  ALERT_RECORDS,
  alertRuleInput,
  alertTestConfig,
  createRule,
  rate,
  recordsOf,
  type AlertRecordPayload,
} from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';
import { verifyWebhook } from './delivery/webhook.signature.js';

describe.each(testDatabases())('alert lifecycle on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  let receiver: WebhookReceiver;
  const evaluate = () => sut.lumen.services.alerts.engine.evaluateNow();
  const mutate = <T>(name: string, id: string) =>
    sut.gql<Record<string, T>>(`mutation($id: ID!) { ${name}(id: $id) { ${ALERT_RECORD_FIELDS} } }`, { id });
  /** As if the alert's last notification went out `minutes` ago. */
  const ageNotification = (alertId: string, minutes: number) =>
    sut.lumen.services.sql.query(`update alert_record set last_notified_at = now() - make_interval(mins => $2) where id = $1`, [
      alertId,
      minutes,
    ]);

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    receiver = await startWebhookReceiver();
    sut = await startTestLumen(created.config, alertTestConfig());
  });
  afterAll(async () => {
    await sut?.stop();
    await receiver?.close();
    await drop?.();
  });

  it('fires one record for a breach, keeps it while the breach lasts, and resolves it with a notice when it clears', async () => {
    const hook = await startWebhookReceiver();
    try {
      const rule = await createRule(sut, { name: 'Life', appId: 'life', minSamples: 2, webhookUrl: hook.url });
      await rate(sut, 'life', 3);
      expect(await evaluate()).toMatchObject({ evaluator: true, fired: 1 });
      expect(await evaluate()).toMatchObject({ fired: 0, resolved: 0 });

      const [firing, ...others] = await recordsOf(sut, rule.id);
      expect(others).toEqual([]);
      expect(firing).toMatchObject({
        status: 'FIRING',
        rule: { id: rule.id, name: 'Life' },
        metric: 'NEGATIVE_FEEDBACK_RATE',
        operator: 'GT',
        value: '1',
        threshold: '0.5',
        windowMinutes: 5,
        severity: 'WARNING',
        resolvedAt: null,
      });

      const [fired] = await hook.waitForCalls(1);
      expect(fired!.json).toMatchObject({
        type: 'alert.fired',
        alert: { id: firing!.id, status: 'FIRING', value: '1', threshold: '0.5' },
        rule: { id: rule.id, appId: 'life' },
      });
      expect(
        verifyWebhook(
          rule.webhookSecret!,
          String(fired!.headers['x-lumen-timestamp']),
          fired!.body,
          String(fired!.headers['x-lumen-signature']),
        ),
      ).toBe(true);

      await rate(sut, 'life', 0, 5);
      expect(await evaluate()).toMatchObject({ resolved: 1 });
      const [resolved] = await recordsOf(sut, rule.id);
      expect(resolved).toMatchObject({ id: firing!.id, status: 'RESOLVED', resolvedBy: null, resolvedAt: expect.any(String) });

      const calls = await hook.waitForCalls(2);
      expect(calls[1]!.json).toMatchObject({ type: 'alert.resolved', alert: { id: firing!.id, status: 'RESOLVED' } });
      expect(await evaluate()).toMatchObject({ fired: 0, resolved: 0 });
      expect(await recordsOf(sut, rule.id)).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('judges a window only when it holds minSamples, and resolves when it no longer does', async () => {
    const rule = await createRule(sut, { appId: 'samples', minSamples: 3 });
    await rate(sut, 'samples', 2);
    await evaluate();
    expect(await recordsOf(sut, rule.id)).toEqual([]);

    await rate(sut, 'samples', 1);
    await evaluate();
    expect((await recordsOf(sut, rule.id)).map((r) => r.status)).toEqual(['FIRING']);

    await sut.gql('mutation($id: ID!, $input: AlertRuleInput!) { updateAlertRule(id: $id, input: $input) { id } }', {
      id: rule.id,
      input: alertRuleInput({ appId: 'samples', minSamples: 4 }),
    });
    await evaluate();
    expect((await recordsOf(sut, rule.id)).map((r) => r.status)).toEqual(['RESOLVED']);
  });

  it('compares the value with the threshold by each operator', async () => {
    // 1 negative of 2: the rate is exactly 0.5.
    const cases = [
      ['GT', '0.5', false],
      ['GT', '0.25', true],
      ['GTE', '0.5', true],
      ['GTE', '0.75', false],
      ['LT', '0.75', true],
      ['LT', '0.5', false],
      ['LTE', '0.5', true],
      ['LTE', '0.25', false],
      ['EQ', '0.5', true],
      ['EQ', '0.25', false],
      ['NEQ', '0.25', true],
      ['NEQ', '0.5', false],
    ] as const;
    const rules = [];
    for (const [operator, threshold] of cases)
      rules.push(await createRule(sut, { name: `${operator} ${threshold}`, appId: 'operators', operator, threshold }));
    await rate(sut, 'operators', 1, 1);
    await evaluate();
    const fired = await Promise.all(rules.map(async (rule) => (await recordsOf(sut, rule.id)).length === 1));
    expect(fired).toEqual(cases.map(([, , fires]) => fires));
  });

  it('reminds every cooldown while an alert is FIRING, and stops once it is acknowledged', async () => {
    const hook = await startWebhookReceiver();
    try {
      const rule = await createRule(sut, { appId: 'cooldown', cooldownMinutes: 10, webhookUrl: hook.url });
      await rate(sut, 'cooldown', 1);
      await evaluate();
      const [alert] = await recordsOf(sut, rule.id);

      await ageNotification(alert!.id, 9);
      expect(await evaluate()).toMatchObject({ reminded: 0 });
      await ageNotification(alert!.id, 10);
      expect(await evaluate()).toMatchObject({ reminded: 1 });
      expect(await evaluate()).toMatchObject({ reminded: 0 });
      const calls = await hook.waitForCalls(2);
      expect(calls.map((call) => call.json.type)).toEqual(['alert.fired', 'alert.reminder']);

      const acknowledged = await mutate<AlertRecordPayload>('acknowledgeAlert', alert!.id);
      expect(acknowledged.data!.acknowledgeAlert).toMatchObject({
        status: 'ACKNOWLEDGED',
        acknowledgedBy: expect.stringContaining('admin'),
        acknowledgedAt: expect.any(String),
      });
      await ageNotification(alert!.id, 60);
      expect(await evaluate()).toMatchObject({ reminded: 0, resolved: 0 });
      expect((await recordsOf(sut, rule.id)).map((r) => r.status)).toEqual(['ACKNOWLEDGED']);
    } finally {
      await hook.close();
    }
  });

  it('never reminds when cooldownMinutes is 0', async () => {
    const rule = await createRule(sut, { appId: 'no-repeat', cooldownMinutes: 0 });
    await rate(sut, 'no-repeat', 1);
    await evaluate();
    const [alert] = await recordsOf(sut, rule.id);
    await ageNotification(alert!.id, 24 * 60);
    expect(await evaluate()).toMatchObject({ reminded: 0 });
  });

  it('resolves by hand with a notice, and fires anew while the rule still breaches', async () => {
    const hook = await startWebhookReceiver();
    try {
      const rule = await createRule(sut, { appId: 'manual', webhookUrl: hook.url });
      await rate(sut, 'manual', 1);
      await evaluate();
      const [alert] = await recordsOf(sut, rule.id);
      const resolved = await mutate<AlertRecordPayload>('resolveAlert', alert!.id);
      expect(resolved.data!.resolveAlert).toMatchObject({ status: 'RESOLVED', resolvedBy: expect.stringContaining('admin') });
      expect((await mutate<AlertRecordPayload>('resolveAlert', alert!.id)).data!.resolveAlert.status).toBe('RESOLVED');
      const calls = await hook.waitForCalls(2);
      expect(calls.map((call) => call.json.type)).toEqual(['alert.fired', 'alert.resolved']);

      await evaluate();
      expect((await recordsOf(sut, rule.id)).map((r) => r.status)).toEqual(['FIRING', 'RESOLVED']);
    } finally {
      await hook.close();
    }
  });

  it('refuses to acknowledge a resolved alert, and answers NOT_FOUND for an unknown one', async () => {
    const rule = await createRule(sut, { appId: 'ack-resolved' });
    await rate(sut, 'ack-resolved', 1);
    await evaluate();
    const [alert] = await recordsOf(sut, rule.id);
    await mutate('resolveAlert', alert!.id);
    const refused = await mutate('acknowledgeAlert', alert!.id);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const unknown = await mutate('acknowledgeAlert', '00000000-0000-4000-8000-000000000000');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('resolves the open alert of a rule that is disabled', async () => {
    const rule = await createRule(sut, { appId: 'disabled' });
    await rate(sut, 'disabled', 1);
    await evaluate();
    await sut.gql('mutation($id: ID!, $input: AlertRuleInput!) { updateAlertRule(id: $id, input: $input) { id } }', {
      id: rule.id,
      input: alertRuleInput({ appId: 'disabled', enabled: false }),
    });
    await evaluate();
    expect((await recordsOf(sut, rule.id)).map((r) => r.status)).toEqual(['RESOLVED']);
    await evaluate();
    expect(await recordsOf(sut, rule.id)).toHaveLength(1);
  });

  it('lists alert records newest first, by filter, a page at a time', async () => {
    const rules = [];
    for (const severity of ['INFO', 'CRITICAL', 'CRITICAL']) rules.push(await createRule(sut, { appId: 'paging', severity }));
    await rate(sut, 'paging', 1);
    await evaluate();
    const ids = new Set(rules.map((r) => r.id));
    const collected: AlertRecordPayload[] = [];
    let after: string | null = null;
    do {
      const page: {
        data?: { alertRecords: { edges: { node: AlertRecordPayload }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      } = await sut.gql(ALERT_RECORDS, {
        filter: { status: ['FIRING'] },
        first: 2,
        after,
      });
      collected.push(...page.data!.alertRecords.edges.map((edge) => edge.node));
      after = page.data!.alertRecords.pageInfo.hasNextPage ? page.data!.alertRecords.pageInfo.endCursor : null;
    } while (after);
    const ours = collected.filter((record) => ids.has(record.rule.id));
    expect(ours).toHaveLength(3);
    expect(new Set(collected.map((r) => r.id)).size).toBe(collected.length);
    const firedAt = collected.map((r) => Date.parse(r.firedAt));
    expect(firedAt).toEqual([...firedAt].sort((a, b) => b - a));

    const critical = await sut.gql<{ alertRecords: { edges: { node: AlertRecordPayload }[] } }>(ALERT_RECORDS, {
      filter: { severity: 'CRITICAL', status: ['FIRING'] },
    });
    expect(critical.data!.alertRecords.edges.filter((edge) => ids.has(edge.node.rule.id))).toHaveLength(2);
  });
});
