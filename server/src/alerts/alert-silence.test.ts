import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { alertTestConfig, createRule, rate, recordsOf } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.js';

const CREATE_SILENCE = `mutation($input: AlertSilenceInput!) {
  createSilence(input: $input) { id state reason createdBy startsAt endsAt appId model rule { id } }
}`;

interface SilencePayload {
  id: string;
  state: string;
  reason: string;
  createdBy: string;
  startsAt: string;
  endsAt: string;
}

describe.each(testDatabases())('alert silences on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  let hook: WebhookReceiver;
  const evaluate = () => sut.lumen.services.alerts.engine.evaluateNow();
  const silence = async (input: Record<string, unknown>, key?: string) => {
    const result = await sut.gql<{ createSilence: SilencePayload }>(CREATE_SILENCE, { input }, key);
    return result;
  };
  const silencedRecord = async (ruleId: string) => {
    const [alert] = await recordsOf(sut, ruleId);
    const result = await sut.gql<{
      alertRecord: {
        silenced: boolean;
        silence: { reason: string; createdBy: string } | null;
        deliveries: { status: string; event: string }[];
      };
    }>('query($id: ID!) { alertRecord(id: $id) { silenced silence { reason createdBy } deliveries { status event } } }', { id: alert!.id });
    return result.data!.alertRecord;
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    sut = await startTestLumen(created.config, alertTestConfig());
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await sut?.stop();
    await hook?.close();
    await drop?.();
  });

  it('records an alert of a silenced rule, marked with the silence and who set it, and notifies no one', async () => {
    const rule = await createRule(sut, { appId: 'quiet', webhookUrl: hook.url });
    const set = await silence({ ruleId: rule.id, durationMinutes: 60, reason: 'Deploying the chat service' });
    expect(set.data!.createSilence).toMatchObject({
      state: 'ACTIVE',
      reason: 'Deploying the chat service',
      createdBy: expect.stringMatching(/admin/i),
    });
    await rate(sut, 'quiet', 1);
    await evaluate();
    const record = await silencedRecord(rule.id);
    expect(record).toEqual({
      silenced: true,
      silence: { reason: 'Deploying the chat service', createdBy: set.data!.createSilence.createdBy },
      deliveries: [],
    });
    await rate(sut, 'quiet', 0, 5);
    await evaluate();
    expect((await recordsOf(sut, rule.id))[0]!.status).toBe('RESOLVED');
    expect((await silencedRecord(rule.id)).deliveries).toEqual([]);
    expect(hook.calls.filter((call) => (call.json.rule as { id: string }).id === rule.id)).toEqual([]);
  });

  it('silences rules scoped to an app, but not rules over every app', async () => {
    const scoped = await createRule(sut, { appId: 'maint', webhookUrl: hook.url });
    const everyApp = await createRule(sut, { appId: null, metric: 'REQUEST_COUNT', operator: 'GT', threshold: '0', webhookUrl: hook.url });
    await silence({ appId: 'maint', durationMinutes: 30, reason: 'Maintenance' });
    await rate(sut, 'maint', 1);
    await sut.gql('mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }', {
      logs: [
        { appId: 'other', provider: 'openai', model: 'gpt-4o', latencyMs: 10, status: 'SUCCESS', timestamp: new Date().toISOString() },
      ],
    });
    await evaluate();
    expect((await silencedRecord(scoped.id)).silenced).toBe(true);
    const loud = await silencedRecord(everyApp.id);
    expect(loud.silenced).toBe(false);
    expect(loud.deliveries).toHaveLength(1);
  });

  it('does not silence before a scheduled window starts, and expired silences hold no more', async () => {
    const rule = await createRule(sut, { appId: 'later', webhookUrl: hook.url });
    const startsAt = new Date(Date.now() + 3_600_000);
    const scheduled = await silence({
      ruleId: rule.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      reason: 'Tonight',
    });
    expect(scheduled.data!.createSilence.state).toBe('SCHEDULED');
    const now = await silence({ ruleId: rule.id, durationMinutes: 10, reason: 'Now' });
    const expired = await sut.gql<{ expireSilence: { state: string } }>(
      'mutation($id: ID!) { expireSilence(id: $id) { state expiredBy } }',
      {
        id: now.data!.createSilence.id,
      },
    );
    expect(expired.data!.expireSilence.state).toBe('EXPIRED');
    await rate(sut, 'later', 1);
    await evaluate();
    const record = await silencedRecord(rule.id);
    expect(record.silenced).toBe(false);
    expect(record.deliveries).toHaveLength(1);

    const listed = await sut.gql<{ silences: { id: string }[] }>('query { silences(filter: { state: [SCHEDULED] }) { id } }');
    expect(listed.data!.silences.map((s) => s.id)).toEqual([scheduled.data!.createSilence.id]);
  });

  it('holds back the reminders of an alert that fired before the silence, and still sends its resolve notice', async () => {
    const rule = await createRule(sut, { appId: 'earlier', webhookUrl: hook.url, cooldownMinutes: 1 });
    await rate(sut, 'earlier', 1);
    await evaluate();
    const [alert] = await recordsOf(sut, rule.id);
    await silence({ ruleId: rule.id, durationMinutes: 60, reason: 'Known incident' });
    const { sql, alerts } = sut.lumen.services;
    const inTwoMinutes = new Date(Date.now() + 120_000);
    const reminded = await sql.transaction((query) => alerts.transitions.remind(query, alert!.id, 1, inTwoMinutes));
    expect(reminded).toMatchObject({ queued: 0 });
    await sut.gql('mutation($id: ID!) { resolveAlert(id: $id) { id } }', { id: alert!.id });
    const record = await silencedRecord(rule.id);
    expect(record.silenced).toBe(false);
    expect(record.deliveries.map((delivery) => delivery.event)).toEqual(['FIRED', 'RESOLVED']);
  });

  it('lets only ADMIN keys set silences and refuses bad windows with the field named', async () => {
    const read = await sut.createKey(ApiKeyRole.READ);
    expect((await silence({ durationMinutes: 5, reason: 'x' }, read)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cases: [Record<string, unknown>, string][] = [
      [{ reason: 'no window' }, 'input.endsAt'],
      [{ durationMinutes: 0, reason: 'x' }, 'input.durationMinutes'],
      [{ durationMinutes: 5, reason: ' ' }, 'input.reason'],
      [
        { endsAt: new Date(Date.now() - 1000).toISOString(), startsAt: new Date(Date.now() - 5000).toISOString(), reason: 'past' },
        'input.endsAt',
      ],
      [{ ruleId: '00000000-0000-4000-8000-000000000000', durationMinutes: 5, reason: 'x' }, 'input.ruleId'],
    ];
    for (const [input, field] of cases) {
      expect((await silence(input)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
