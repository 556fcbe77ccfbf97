import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

import { alertTestConfig, createChannel, createRule, rate, recordsOf } from '../../test/alerts.js';
import { testDatabases } from '../../test/databases.js';
import { deferred } from '../../test/deferred.js';
import { startTestLumen, type TestLumen } from '../../test/lumen.js';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.js';
import { EMAIL_NOT_CONFIGURED } from './alert-delivery.outbox.js';

const [database] = testDatabases();

describe('alert emails', () => {
  let sink: SmtpSink;
  let sut: TestLumen;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const created = await database!.create();
    drop = created.drop;
    sut = await startTestLumen(
      created.config,
      alertTestConfig({
        smtp: { host: '127.0.0.1', port: sink.port, secure: false, allowInsecure: true, from: 'Lumen <alerts@lumen.test>' },
      }),
    );
  });
  afterAll(async () => {
    await sut?.stop();
    await sink?.close();
    await drop?.();
  });

  it('emails every address when an alert fires and again when it resolves', async () => {
    // A mail is accepted a moment before its row is marked SENT: the test waits for the four outcomes too.
    const allSent = deferred();
    let sent = 0;
    const stop = sut.lumen.services.alerts.deliveries.onOutcome((outcome) => {
      if (outcome.status === 'SENT' && ++sent === 4) allSent.resolve();
    });
    onTestFinished(stop);
    const rule = await createRule(sut, {
      name: 'Users unhappy',
      appId: 'mail',
      severity: 'CRITICAL',
      emails: ['ops@example.com', 'oncall@example.com'],
    });
    await rate(sut, 'mail', 1);
    await sut.lumen.services.alerts.engine.evaluateNow();
    const fired = await sink.waitForMails(2);
    expect(
      fired
        .map((mail) => mail.to)
        .flat()
        .sort(),
    ).toEqual(['oncall@example.com', 'ops@example.com']);
    expect(fired[0]!.from).toBe('alerts@lumen.test');
    expect(fired[0]!.raw).toContain('Subject: [Lumen] FIRING (Critical): Users unhappy');
    expect(fired[0]!.raw).toContain('Negative feedback rate > 50% over 5 minutes');

    await rate(sut, 'mail', 0, 3);
    await sut.lumen.services.alerts.engine.evaluateNow();
    const all = await sink.waitForMails(4);
    expect(all.slice(2).every((mail) => mail.raw.includes('Subject: [Lumen] RESOLVED (Critical): Users unhappy'))).toBe(true);

    await allSent.promise;
    const [alert] = await recordsOf(sut, rule.id);
    const after = await sut.gql<{
      alertRecord: { deliveries: { channel: string; event: string; status: string; lastStatusCode: number }[] };
    }>('query($id: ID!) { alertRecord(id: $id) { deliveries { channel event status lastStatusCode } } }', { id: alert!.id });
    expect(after.data!.alertRecord.deliveries.map((d) => `${d.channel} ${d.event} ${d.status} ${d.lastStatusCode}`).sort()).toEqual([
      'EMAIL FIRED SENT 250',
      'EMAIL FIRED SENT 250',
      'EMAIL RESOLVED SENT 250',
      'EMAIL RESOLVED SENT 250',
    ]);
  });

  it('emails each address of a named EMAIL channel what fired, in words, with links to the alert and the failing calls', async () => {
    const before = sink.mails.length;
    const { channel } = await createChannel(sut, { name: 'SRE list', kind: 'EMAIL', emails: ['sre@example.com'] });
    const rule = await createRule(sut, { name: 'Channel mail', appId: 'mail-channel', channelIds: [channel.id] });
    await rate(sut, 'mail-channel', 1);
    await sut.lumen.services.alerts.engine.evaluateNow();
    const [mail] = (await sink.waitForMails(before + 1)).slice(before);
    const [alert] = await recordsOf(sut, rule.id);
    const raw = mail!.raw.replace(/=\r?\n/g, '');
    expect(mail!.to).toEqual(['sre@example.com']);
    expect(raw).toContain('Subject: [Lumen] FIRING (Warning): Channel mail');
    expect(raw).toContain('Negative feedback rate > 50% over 5 minutes');
    expect(raw).toContain('Scope: App mail-channel');
    expect(raw).toContain(`/alerts?alert=3D${alert!.id}`);
  });
});

describe('alert emails without SMTP settings', () => {
  let sut: TestLumen;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await database!.create();
    drop = created.drop;
    sut = await startTestLumen(created.config, alertTestConfig({ smtp: null }));
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('records each email as SKIPPED with the reason', async () => {
    const rule = await createRule(sut, { appId: 'no-mail', emails: ['ops@example.com'] });
    await rate(sut, 'no-mail', 1);
    await sut.lumen.services.alerts.engine.evaluateNow();
    const [alert] = await recordsOf(sut, rule.id);
    const result = await sut.gql<{ alertRecord: { deliveries: unknown[] } }>(
      'query($id: ID!) { alertRecord(id: $id) { deliveries { channel status attempts lastError } } }',
      {
        id: alert!.id,
      },
    );
    expect(result.data!.alertRecord.deliveries).toEqual([
      { channel: 'EMAIL', status: 'SKIPPED', attempts: 0, lastError: EMAIL_NOT_CONFIGURED },
    ]);
  });
});
