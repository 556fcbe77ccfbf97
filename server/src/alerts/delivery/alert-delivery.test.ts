import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../../auth/api-key.entity.js';
import { alertTestConfig, createRule, rate, recordsOf } from '../../test/alerts.js';
import { testDatabases } from '../../test/databases.js';
import { deferred } from '../../test/deferred.js';
import { startTestLumen, type TestLumen } from '../../test/lumen.js';
import { startWebhookReceiver, type ReceivedCall, type WebhookReceiver } from '../../test/webhook-receiver.js';
import type { DeliveryOutcome } from './alert-delivery.dispatcher.js';
import { verifyWebhook } from './webhook.signature.js';

const TIMEOUT_MS = 1_000;
const BACKOFF = { backoffBaseMs: 40, backoffMaxMs: 100, maxAttempts: 4 };

interface DeliveryPayload {
  id: string;
  event: string;
  channel: string;
  target: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  sentAt: string | null;
}

describe.each(testDatabases())('alert webhooks on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (answer?: Parameters<typeof startWebhookReceiver>[0]) => {
    const started = await startWebhookReceiver(answer);
    receivers.push(started);
    return started;
  };
  const evaluate = () => sut.lumen.services.alerts.engine.evaluateNow();
  const dispatcher = () => sut.lumen.services.alerts.deliveries;
  /** Resolves with the first attempt outcome that matches. */
  const outcome = (match: (outcome: DeliveryOutcome) => boolean) => {
    const seen = deferred<DeliveryOutcome>();
    const stop = dispatcher().onOutcome((o) => {
      if (!match(o)) return;
      stop();
      seen.resolve(o);
    });
    return seen.promise;
  };
  const deliveriesOf = async (ruleId: string) => {
    const [alert] = await recordsOf(sut, ruleId);
    const result = await sut.gql<{ alertRecord: { deliveries: DeliveryPayload[] } }>(
      'query($id: ID!) { alertRecord(id: $id) { deliveries { id event channel target status attempts lastError lastStatusCode sentAt } } }',
      { id: alert!.id },
    );
    return result.data!.alertRecord.deliveries;
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    sut = await startTestLumen(created.config, alertTestConfig({ ...BACKOFF, webhookTimeoutMs: TIMEOUT_MS }));
  });
  afterAll(async () => {
    await sut?.stop();
    for (const started of receivers) await started.close();
    await drop?.();
  });

  it("signs every call so that the receiver can check it with the rule's secret", async () => {
    const hook = await receiver();
    const rule = await createRule(sut, { appId: 'signed', webhookUrl: hook.url });
    await rate(sut, 'signed', 1);
    await evaluate();
    const [call] = await hook.waitForCalls(1);
    expect(call!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-lumen-event': 'alert.fired',
      'x-lumen-delivery': expect.any(String),
    });
    expect(call!.headers['x-lumen-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(
      verifyWebhook(
        rule.webhookSecret!,
        String(call!.headers['x-lumen-timestamp']),
        call!.body,
        String(call!.headers['x-lumen-signature']),
      ),
    ).toBe(true);
    expect(
      verifyWebhook(
        'whsec_someone_else_entirely',
        String(call!.headers['x-lumen-timestamp']),
        call!.body,
        String(call!.headers['x-lumen-signature']),
      ),
    ).toBe(false);
    expect(call!.json).toMatchObject({ deliveryId: call!.headers['x-lumen-delivery'], summary: expect.stringContaining('is FIRING') });
  });

  it('retries a receiver answering 500 with growing waits, records every attempt, and gives up after the last', async () => {
    const hook = await receiver(() => 500);
    const rule = await createRule(sut, { appId: 'failing', webhookUrl: hook.url });
    const failed = outcome((o) => o.status === 'FAILED');
    await rate(sut, 'failing', 1);
    await evaluate();
    const last = await failed;
    expect(last).toMatchObject({ attempt: BACKOFF.maxAttempts, error: 'HTTP 500: receiver says no' });

    const calls = await hook.waitForCalls(BACKOFF.maxAttempts);
    expect(new Set(calls.map((call) => call.headers['x-lumen-delivery']))).toEqual(new Set([last.id]));
    // Each wait is at least the backoff: 40, 80, then the cap of 100 ms.
    const gaps = calls.slice(1).map((call, i) => call.at - calls[i]!.at);
    [40, 80, 100].forEach((least, i) => expect(gaps[i]).toBeGreaterThanOrEqual(least));
    for (const call of calls)
      expect(
        verifyWebhook(rule.webhookSecret!, String(call.headers['x-lumen-timestamp']), call.body, String(call.headers['x-lumen-signature'])),
      ).toBe(true);

    expect(await deliveriesOf(rule.id)).toEqual([
      expect.objectContaining({
        channel: 'WEBHOOK',
        event: 'FIRED',
        status: 'FAILED',
        attempts: 4,
        lastStatusCode: 500,
        lastError: 'HTTP 500: receiver says no',
        sentAt: null,
      }),
    ]);
  });

  it('succeeds on a later attempt when the receiver recovers', async () => {
    const hook = await receiver((_call, index) => (index < 2 ? 503 : 204));
    const rule = await createRule(sut, { appId: 'recovering', webhookUrl: hook.url });
    const sent = outcome((o) => o.status === 'SENT' && o.channel === 'WEBHOOK');
    await rate(sut, 'recovering', 1);
    await evaluate();
    expect(await sent).toMatchObject({ attempt: 3 });
    expect(await deliveriesOf(rule.id)).toEqual([
      expect.objectContaining({ status: 'SENT', attempts: 3, lastStatusCode: 204, lastError: null, sentAt: expect.any(String) }),
    ]);
  });

  it('lets neither evaluation nor other deliveries wait on a receiver that hangs', async () => {
    const hanging = await receiver(() => 'hang');
    const healthy = await receiver();
    const slowRule = await createRule(sut, { appId: 'hang', webhookUrl: hanging.url });
    await createRule(sut, { appId: 'hang', webhookUrl: healthy.url });
    const timedOut = outcome((o) => o.error === `no answer within ${TIMEOUT_MS} ms`);

    await rate(sut, 'hang', 1);
    expect(await evaluate()).toMatchObject({ fired: 2 });
    await Promise.all([hanging.waitForCalls(1), healthy.waitForCalls(1)]);

    // While the first call still hangs, another rule fires and its receiver is called.
    const laterRule = await createRule(sut, { appId: 'hang-later', webhookUrl: healthy.url });
    await rate(sut, 'hang-later', 1);
    expect(await evaluate()).toMatchObject({ fired: 1 });
    const [, later] = await healthy.waitForCalls(2);
    expect((later!.json.rule as { id: string }).id).toBe(laterRule.id);
    // Not sent yet: its attempt hangs (or, on a slow machine, it waits for the next one, which hangs too).
    expect(await deliveriesOf(slowRule.id)).toEqual([expect.objectContaining({ status: 'PENDING', sentAt: null })]);

    expect(await timedOut).toMatchObject({ status: 'PENDING', attempt: 1 });
    await hanging.waitForCalls(2);
  });

  it('sends again a delivery whose sender died during an attempt, once its lease has expired', async () => {
    const hook = await receiver();
    const rule = await createRule(sut, { appId: 'crashed', webhookUrl: hook.url });
    await rate(sut, 'crashed', 1);
    const sent = outcome((o) => o.status === 'SENT');
    await evaluate();
    const { id } = await sent;
    await hook.waitForCalls(1);

    // As a replica that claimed the row and died would leave it: PENDING, one attempt made, leased.
    const sql = sut.lumen.services.sql;
    await sql.query(
      `update alert_delivery set status = 'PENDING', sent_at = null, attempts = 1, locked_until = now() + interval '1 hour' where id = $1`,
      [id],
    );
    await dispatcher().dispatchNow();
    expect((await deliveriesOf(rule.id))[0]).toMatchObject({ status: 'PENDING', attempts: 1 });

    const resent = outcome((o) => o.id === id);
    await sql.query(`update alert_delivery set locked_until = now() - interval '1 second' where id = $1`, [id]);
    await dispatcher().dispatchNow();
    expect(await resent).toMatchObject({ status: 'SENT', attempt: 2 });
    const calls = await hook.waitForCalls(2);
    expect(calls[1]!.headers['x-lumen-delivery']).toBe(calls[0]!.headers['x-lumen-delivery']);
  });

  describe('testWebhook', () => {
    const TEST =
      'mutation($url: String!, $ruleId: ID) { testWebhook(url: $url, ruleId: $ruleId) { ok statusCode error durationMs secret } }';
    type Result = { testWebhook: { ok: boolean; statusCode: number | null; error: string | null; secret: string | null } };
    const check = (call: ReceivedCall, secret: string) =>
      verifyWebhook(secret, String(call.headers['x-lumen-timestamp']), call.body, String(call.headers['x-lumen-signature']));

    it('makes one signed call with a fresh secret and returns it', async () => {
      const hook = await receiver();
      const result = await sut.gql<Result>(TEST, { url: hook.url });
      expect(result.data!.testWebhook).toMatchObject({ ok: true, statusCode: 200, error: null, secret: expect.stringMatching(/^whsec_/) });
      const [call] = await hook.waitForCalls(1);
      expect(call!.json).toMatchObject({ type: 'test', rule: null });
      expect(check(call!, result.data!.testWebhook.secret!)).toBe(true);
    });

    it("signs with the rule's secret when a rule is named", async () => {
      const hook = await receiver();
      const rule = await createRule(sut, { name: 'Tested' });
      const result = await sut.gql<Result>(TEST, { url: hook.url, ruleId: rule.id });
      expect(result.data!.testWebhook).toMatchObject({ ok: true, secret: null });
      const [call] = await hook.waitForCalls(1);
      expect(call!.json).toMatchObject({ rule: { id: rule.id, name: 'Tested' } });
      expect(check(call!, rule.webhookSecret!)).toBe(true);
    });

    it('reports a failing receiver, and refuses bad URLs and keys below ADMIN', async () => {
      const hook = await receiver(() => 500);
      expect((await sut.gql<Result>(TEST, { url: hook.url })).data!.testWebhook).toMatchObject({
        ok: false,
        statusCode: 500,
        error: 'HTTP 500: receiver says no',
      });
      expect((await sut.gql(TEST, { url: 'file:///etc/passwd' })).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'url',
      });
      const readKey = await sut.createKey(ApiKeyRole.READ);
      expect((await sut.gql(TEST, { url: hook.url }, readKey)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
