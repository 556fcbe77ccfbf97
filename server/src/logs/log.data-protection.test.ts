import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { startTestLumen, type TestLumen } from '../test/lumen.js';
import { deleteExpired } from './log.retention.js';

const defaults = loadConfig({});
const DAY = 24 * 3600 * 1000;

describe.each(testDatabases())('data protection on $name', (database) => {
  let redacting: TestLumen;
  let contentless: TestLumen;
  let drops: (() => Promise<void>)[] = [];
  const stored = async (sut: TestLumen, eventId: string) =>
    (
      await sut.lumen.services.sql.query<{
        prompt: string | null;
        response: string | null;
        error_message: string | null;
        metadata: unknown;
      }>('select prompt, response, error_message, metadata from app_log where event_id = $1', [eventId])
    )[0];

  beforeAll(async () => {
    const first = await database.create();
    drops.push(first.drop);
    redacting = await startTestLumen(first.config, {
      dataProtection: {
        ...defaults.dataProtection,
        redact: ['email', 'phone', 'credit_card', 'secret', 'bearer'],
        redactPatterns: ['CASE-\\d{5}'],
      },
    });
    const second = await database.create();
    drops.push(second.drop);
    contentless = await startTestLumen(second.config, { dataProtection: { ...defaults.dataProtection, storeContent: false } });
  });
  afterAll(async () => {
    await redacting?.stop();
    await contentless?.stop();
    for (const drop of drops) await drop();
    drops = [];
  });

  it('redacts personal data and secrets before they are stored', async () => {
    const log = logInput({
      prompt: 'My email is grace@example.org and my card is 4242 4242 4242 4242 (CASE-12345)',
      response: 'I will call +44 20 7946 0958.',
      errorMessage: 'upstream said: Authorization: Bearer abcdef123456',
      metadata: { customer: 'grace@example.org', apiKey: 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz' },
    });
    expect((await redacting.gql<IngestPayload>(INGEST_LOGS, { logs: [log] })).data!.ingestLogs.accepted).toBe(1);
    const row = await stored(redacting, log.eventId as string);
    expect(row).toEqual({
      prompt: 'My email is [REDACTED:email] and my card is [REDACTED:credit_card] ([REDACTED:custom])',
      response: 'I will call [REDACTED:phone].',
      error_message: 'upstream said: Authorization: Bearer [REDACTED:bearer]',
      metadata: { customer: '[REDACTED:email]', apiKey: '[REDACTED:secret]' },
    });
  });

  it('stores no prompt or response when STORE_CONTENT is false', async () => {
    const sut = contentless;
    const log = logInput({ prompt: 'private question', response: 'private answer' });
    await sut.gql(INGEST_LOGS, { logs: [log] });
    expect(await stored(sut, log.eventId as string)).toMatchObject({ prompt: null, response: null });
  });

  it('deletes logs, their rollups and feedback past the retention in batches, keeps the rest, and lets ingestion go on meanwhile', async () => {
    const now = Date.now();
    const old = Array.from({ length: 6_000 }, (_, i) =>
      logInput({ appId: 'retention', timestamp: new Date(now - 40 * DAY - i * 1000).toISOString(), prompt: null, response: null }),
    );
    for (let i = 0; i < old.length; i += 1000) await redacting.gql(INGEST_LOGS, { logs: old.slice(i, i + 1000) });
    const recent = logInput({ appId: 'retention', timestamp: new Date(now - 2 * DAY).toISOString() });
    await redacting.gql(INGEST_LOGS, { logs: [recent] });

    const sql = redacting.lumen.services.sql;
    await redacting.lumen.services.metricRollups.flush();
    const oldFeedback = await redacting.gql<{ submitFeedback: { id: string } }>(
      'mutation { submitFeedback(input: { appId: "retention", rating: NEGATIVE, comment: "old" }) { id } }',
    );
    await sql.query(`update user_feedback set created_at = now() - interval '40 days' where id = $1`, [
      oldFeedback.data!.submitFeedback.id,
    ]);
    await redacting.gql('mutation { submitFeedback(input: { appId: "retention", rating: POSITIVE }) { id } }');
    const [deleted, ...ingested] = await Promise.all([
      deleteExpired(sql, 30),
      ...Array.from({ length: 5 }, () => redacting.gql<IngestPayload>(INGEST_LOGS, { logs: [logInput({ appId: 'retention-live' })] })),
    ]);
    expect(deleted.logs).toBe(6_000);
    expect(deleted.feedback).toBe(1);
    expect(deleted.rollups).toBeGreaterThan(0);
    const [{ stale }] = (await sql.query<{ stale: string }>(
      `select count(*) as stale from metric_rollup where bucket < now() - interval '31 days'`,
    )) as [{ stale: string }];
    expect(Number(stale)).toBe(0);
    const [{ kept }] = (await sql.query<{ kept: string }>(`select count(*) as kept from user_feedback where app_id = 'retention'`)) as [
      { kept: string },
    ];
    expect(Number(kept)).toBe(1);
    expect(ingested.every((result) => (result as { data?: IngestPayload }).data?.ingestLogs.accepted === 1)).toBe(true);
    const [{ n }] = (await sql.query<{ n: string }>(`select count(*) as n from app_log where app_id = 'retention'`)) as [{ n: string }];
    expect(Number(n)).toBe(1);
  });
});
