import nodemailer, { type Transporter } from 'nodemailer';

import type { SmtpConfig } from '../../config.js';
import type { SendOutcome } from './webhook.sender.js';

/** Sends alert emails through the configured SMTP server (SMTP_* settings), over TLS unless SMTP_ALLOW_INSECURE=true. */
export class EmailSender {
  private readonly transport: Transporter;

  constructor(
    private readonly smtp: SmtpConfig,
    timeoutMs: number,
  ) {
    this.transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      // Without TLS the login (and every alert) would cross the network in cleartext: refuse to send
      // unless the server upgrades with STARTTLS, or SMTP_ALLOW_INSECURE=true says the network is trusted.
      requireTLS: !smtp.secure && !smtp.allowInsecure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(to: string, message: { subject: string; text: string }): Promise<SendOutcome> {
    try {
      const info = (await this.transport.sendMail({ from: this.smtp.from, to, subject: message.subject, text: message.text })) as {
        response?: string;
      };
      return { ok: true, statusCode: replyCode(info.response), error: null, retry: false };
    } catch (error) {
      const failure = error as { responseCode?: number; message?: string };
      // 5xx replies are permanent (a refused address); 4xx and network errors may pass later.
      const code = typeof failure.responseCode === 'number' ? failure.responseCode : null;
      return { ok: false, statusCode: code, error: failure.message ?? String(error), retry: code === null || code < 500 };
    }
  }

  close(): void {
    this.transport.close();
  }
}

function replyCode(response: string | undefined): number | null {
  const match = /^(\d{3})/.exec(response ?? '');
  return match ? Number(match[1]) : null;
}
