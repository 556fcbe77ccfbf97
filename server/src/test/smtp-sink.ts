import { SMTPServer } from 'smtp-server';

import { deferred, type Deferred } from './deferred.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body). */
  raw: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Passwords received with AUTH (only when the sink was started with `auth: true`). */
  passwords: string[];
  waitForMails(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A local SMTP server (the smtp-server package) that keeps every message it accepts. It never offers
 * STARTTLS; with `auth: true` it accepts AUTH in cleartext and records the passwords it was sent.
 */
export async function startSmtpSink(options: { auth?: boolean } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const passwords: string[] = [];
  const waiting: { count: number; done: Deferred<ReceivedMail[]> }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      passwords.push(auth.password ?? '');
      callback(null, { user: auth.username });
    },
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        for (const wait of waiting.filter((w) => mails.length >= w.count)) wait.done.resolve(mails.slice(0, wait.count));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    port,
    mails,
    passwords,
    waitForMails(count) {
      if (mails.length >= count) return Promise.resolve(mails.slice(0, count));
      const done = deferred<ReceivedMail[]>();
      waiting.push({ count, done });
      return done.promise;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
