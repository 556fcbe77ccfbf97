import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig, type SmtpConfig } from '../../config.js';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.js';
import { EmailSender } from './email.sender.js';

describe('alert email transport security', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ auth: true });
  });
  afterAll(async () => {
    await sink?.close();
  });

  const smtp = (overrides: Partial<SmtpConfig> = {}): SmtpConfig => ({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    allowInsecure: false,
    user: 'lumen',
    password: 'smtp-password-in-the-clear',
    from: 'alerts@lumen.test',
    ...overrides,
  });

  it('does not log in or send to a server that offers no STARTTLS', async () => {
    const sut = new EmailSender(smtp(), 5_000);
    const outcome = await sut.send('ops@example.com', { subject: 's', text: 't' });
    sut.close();
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/STARTTLS/i);
    expect(sink.passwords).toEqual([]);
    expect(sink.mails).toEqual([]);
  });

  it('sends in cleartext only when SMTP_ALLOW_INSECURE=true says so', async () => {
    const sut = new EmailSender(smtp({ allowInsecure: true }), 5_000);
    const outcome = await sut.send('ops@example.com', { subject: 's', text: 't' });
    sut.close();
    expect(outcome.ok).toBe(true);
    expect(sink.mails).toHaveLength(1);
  });

  it('reads SMTP_ALLOW_INSECURE, off unless set', () => {
    const base = { SMTP_HOST: 'mail.example.com', SMTP_FROM: 'alerts@example.com' };
    expect(loadConfig(base).notifications.smtp?.allowInsecure).toBe(false);
    expect(loadConfig({ ...base, SMTP_ALLOW_INSECURE: 'true' }).notifications.smtp?.allowInsecure).toBe(true);
  });
});
