import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { loadConfig } from '../config.js';
import { testDatabases } from '../test/databases.js';
import { feedbackInput, INGEST_LOGS, logInput, SUBMIT_FEEDBACK, type FeedbackPayload, type IngestPayload } from '../test/factories.js';
import { startTestLumen, useTestLumen, type TestLumen } from '../test/lumen.js';

describe.each(testDatabases())('submitFeedback on $name', (database) => {
  const sut = useTestLumen(database);
  let ingestKey: string;
  let readKey: string;

  const submit = (input: Record<string, unknown>, key?: string) =>
    sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input }, key);
  const submitted = async (input: Record<string, unknown>, key?: string) => {
    const result = await submit(input, key);
    if (!result.data) throw new Error(`submitFeedback failed: ${JSON.stringify(result.errors)}`);
    return result.data.submitFeedback;
  };
  const ingest = async (logs: Record<string, unknown>[]) => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(result.data!.ingestLogs.rejected).toEqual([]);
    return result.data!.ingestLogs;
  };
  const stored = async (id: string) =>
    (
      await sut.lumen.services.sql.query<{ log_id: string | null; app_id: string | null; user_id: string | null; trace_id: string | null }>(
        'select log_id, app_id, user_id, trace_id from user_feedback where id = $1',
        [id],
      )
    )[0]!;
  const logIdOf = async (eventId: unknown) =>
    (await sut.lumen.services.sql.query<{ id: string }>('select id from app_log where event_id = $1', [eventId]))[0]!.id;
  const count = async (where: string, values: unknown[]) =>
    Number((await sut.lumen.services.sql.query<{ n: string }>(`select count(*) as n from user_feedback where ${where}`, values))[0]!.n);

  beforeAll(async () => {
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
    readKey = await sut.createKey(ApiKeyRole.READ);
  });

  describe('roles', () => {
    it('answers an INGEST key that resubmits another feedbackId with its own fields only', async () => {
      const original = await submitted(feedbackInput({ comment: 'My account number is 12345', category: 'billing' }));
      await sut.gql('mutation($id: ID!) { resolveFeedback(id: $id, note: "Refunded the customer") { id } }', { id: original.id });
      const query = `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id feedbackId comment category appId userId status resolutionNote resolvedBy resolvedByKeyId resolvedAt } }`;
      const replay = await sut.gql<{ submitFeedback: Record<string, unknown> }>(
        query,
        { input: { feedbackId: original.feedbackId, appId: 'probe', rating: 'POSITIVE' } },
        ingestKey,
      );
      expect(replay.data!.submitFeedback).toEqual({
        id: original.id,
        feedbackId: original.feedbackId,
        comment: null,
        category: null,
        appId: 'probe',
        userId: null,
        status: 'RESOLVED',
        resolutionNote: null,
        resolvedBy: null,
        resolvedByKeyId: null,
        resolvedAt: null,
      });
      const asAdmin = await sut.gql<{ submitFeedback: Record<string, unknown> }>(query, {
        input: { feedbackId: original.feedbackId, appId: 'probe', rating: 'POSITIVE' },
      });
      expect(asAdmin.data!.submitFeedback).toMatchObject({
        comment: 'My account number is 12345',
        resolutionNote: 'Refunded the customer',
      });
    });

    it('lets an INGEST key submit feedback', async () => {
      const feedback = await submitted(feedbackInput({ appId: 'r-ingest' }), ingestKey);
      expect(feedback).toMatchObject({ appId: 'r-ingest', rating: 'NEGATIVE', status: 'OPEN' });
    });

    it('lets an ADMIN key submit feedback', async () => {
      expect((await submitted(feedbackInput({ appId: 'r-admin' }))).appId).toBe('r-admin');
    });

    it('refuses a READ key with FORBIDDEN and stores nothing', async () => {
      const input = feedbackInput({ appId: 'r-read' });
      const result = await submit(input, readKey);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await count('client_feedback_id = $1', [input.feedbackId])).toBe(0);
    });

    it('refuses a request without a key with UNAUTHENTICATED', async () => {
      const result = await submit(feedbackInput(), null as unknown as string);
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('does not let an INGEST key read the linked log through the answer', async () => {
      const log = logInput({ appId: 'r-log', prompt: 'secret prompt' });
      await ingest([log]);
      const result = await sut.gql<{ submitFeedback: { id: string; log: unknown } }>(
        'mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id log { prompt } } }',
        { input: feedbackInput({ logEventId: log.eventId }) },
        ingestKey,
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(result)).not.toContain('secret prompt');
    });

    it('does not let an INGEST key list feedback', async () => {
      const result = await sut.gql('{ feedback { nodes { id } } }', {}, ingestKey);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('linking', () => {
    it('links feedback to a log that is already stored and fills app, user and trace from it', async () => {
      const log = logInput({ appId: 'l-before', userId: 'u-before', traceId: `t-${randomUUID()}` });
      await ingest([log]);
      const feedback = await submitted({ feedbackId: randomUUID(), logEventId: log.eventId, rating: 'POSITIVE' }, ingestKey);
      expect(feedback).toMatchObject({ logId: await logIdOf(log.eventId), appId: 'l-before', userId: 'u-before', traceId: log.traceId });
    });

    it('keeps feedback that names a log not stored yet and links it when the log arrives', async () => {
      const log = logInput({ appId: 'l-after', userId: 'u-after' });
      const feedback = await submitted({ logEventId: log.eventId, rating: 'NEGATIVE', comment: 'too slow' }, ingestKey);
      expect(feedback).toMatchObject({ logId: null, appId: null, userId: null });

      await ingest([logInput({ appId: 'l-after' }), log]);
      expect(await stored(feedback.id)).toEqual({
        log_id: await logIdOf(log.eventId),
        app_id: 'l-after',
        user_id: 'u-after',
        trace_id: null,
      });
    });

    it('links every feedback that names the same log when it arrives', async () => {
      const log = logInput({ appId: 'l-many' });
      const first = await submitted({ logEventId: log.eventId, rating: 'NEGATIVE' });
      const second = await submitted({ logEventId: log.eventId, rating: 'POSITIVE' });
      await ingest([log]);
      const logId = await logIdOf(log.eventId);
      expect((await stored(first.id)).log_id).toBe(logId);
      expect((await stored(second.id)).log_id).toBe(logId);
    });

    it("keeps the app and user the client sent rather than the log's", async () => {
      const log = logInput({ appId: 'l-log-app', userId: 'u-log' });
      const feedback = await submitted({ logEventId: log.eventId, appId: 'l-own-app', userId: 'u-own', rating: 'POSITIVE' });
      await ingest([log]);
      expect(await stored(feedback.id)).toMatchObject({ app_id: 'l-own-app', user_id: 'u-own' });
    });

    it('links feedback by traceId to the latest log of the trace', async () => {
      const traceId = `t-${randomUUID()}`;
      const early = logInput({
        appId: 'l-trace',
        traceId,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
        model: 'text-embedding-3-small',
      });
      const late = logInput({ appId: 'l-trace', traceId, timestamp: new Date(Date.now() - 30_000).toISOString() });
      await ingest([late, early]);
      const feedback = await submitted({ traceId, rating: 'NEGATIVE' });
      expect(feedback).toMatchObject({ logId: await logIdOf(late.eventId), appId: 'l-trace', traceId });
    });

    it('links feedback by traceId sent before its logs, and moves the link to a later log of the trace', async () => {
      const traceId = `t-${randomUUID()}`;
      const feedback = await submitted({ traceId, appId: 'l-trace-first', rating: 'NEGATIVE' });
      expect(feedback.logId).toBeNull();

      const first = logInput({ appId: 'l-trace-first', traceId, timestamp: new Date(Date.now() - 50_000).toISOString() });
      await ingest([first]);
      expect((await stored(feedback.id)).log_id).toBe(await logIdOf(first.eventId));

      const later = logInput({ appId: 'l-trace-first', traceId, timestamp: new Date(Date.now() - 10_000).toISOString() });
      await ingest([later]);
      expect((await stored(feedback.id)).log_id).toBe(await logIdOf(later.eventId));

      // A log that arrives late but started earlier is not the answer the user saw last.
      const straggler = logInput({ appId: 'l-trace-first', traceId, timestamp: new Date(Date.now() - 90_000).toISOString() });
      await ingest([straggler]);
      expect((await stored(feedback.id)).log_id).toBe(await logIdOf(later.eventId));
    });

    it('prefers logEventId over traceId when both are given', async () => {
      const traceId = `t-${randomUUID()}`;
      const named = logInput({ traceId, timestamp: new Date(Date.now() - 60_000).toISOString() });
      const latest = logInput({ traceId });
      const feedback = await submitted({ logEventId: named.eventId, traceId, rating: 'POSITIVE' });
      await ingest([named, latest]);
      expect((await stored(feedback.id)).log_id).toBe(await logIdOf(named.eventId));
    });

    it('leaves feedback about another trace or event alone', async () => {
      const feedback = await submitted({ traceId: `t-${randomUUID()}`, logEventId: randomUUID(), rating: 'NEGATIVE' });
      await ingest([logInput({ traceId: `t-${randomUUID()}` }), logInput()]);
      expect((await stored(feedback.id)).log_id).toBeNull();
    });

    it('links every feedback when feedback and logs arrive at the same time', async () => {
      const logs = Array.from({ length: 40 }, () => logInput({ appId: 'l-race', traceId: `t-${randomUUID()}` }));
      const batches = [logs.slice(0, 10), logs.slice(10, 20), logs.slice(20, 30), logs.slice(30)];
      const feedback = await Promise.all([
        ...batches.map(async (batch) => {
          await ingest(batch);
          return [];
        }),
        ...logs.map(async (log, i) => [
          await submitted(
            i % 2 === 0 ? { logEventId: log.eventId, rating: 'NEGATIVE' } : { traceId: log.traceId, rating: 'POSITIVE' },
            ingestKey,
          ),
        ]),
      ]);
      const ids = feedback.flat().map((item) => item.id);
      expect(ids).toHaveLength(40);
      expect(await count('id = any($1::uuid[]) and log_id is null', [ids])).toBe(0);
    });
  });

  describe('deduplication', () => {
    it('stores a repeated feedbackId once and returns the stored feedback', async () => {
      const input = feedbackInput({ appId: 'd-repeat', comment: 'first' });
      const first = await submitted(input, ingestKey);
      expect(await submitted(input, ingestKey)).toEqual(first);
      const changed = await submitted({ ...input, comment: 'second', rating: 'POSITIVE' }, ingestKey);
      expect(changed.id).toBe(first.id);
      expect(await count('client_feedback_id = $1 and comment = $2', [input.feedbackId, 'first'])).toBe(1);
      expect(await count('client_feedback_id = $1', [input.feedbackId])).toBe(1);
    });

    it('stores concurrent submissions of one feedbackId once', async () => {
      const input = feedbackInput({ appId: 'd-race' });
      const results = await Promise.all(Array.from({ length: 6 }, () => submitted(input, ingestKey)));
      expect(new Set(results.map((feedback) => feedback.id)).size).toBe(1);
      expect(await count('client_feedback_id = $1', [input.feedbackId])).toBe(1);
    });

    it('stores feedback without a feedbackId every time it is sent', async () => {
      const { feedbackId: _none, ...input } = feedbackInput({ appId: 'd-none' });
      await submitted(input);
      await submitted(input);
      expect(await count(`app_id = 'd-none'`, [])).toBe(2);
    });
  });

  describe('validation', () => {
    const refused = async (input: Record<string, unknown>) => {
      const result = await submit(input);
      expect(result.data).toBeFalsy();
      return result.errors?.[0];
    };

    it.each([0, 6, -1])('refuses the score %i', async (score) => {
      const error = await refused(feedbackInput({ score }));
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.score' });
      expect(error?.message).toBe('input.score: must be a whole number from 1 to 5');
    });

    it('accepts the scores 1 to 5 and no score', async () => {
      for (const score of [1, 5, null]) expect((await submitted(feedbackInput({ score }))).score).toBe(score);
    });

    it.each([
      ['comment', 4000],
      ['category', 64],
      ['feedbackId', 128],
      ['logEventId', 128],
      ['traceId', 256],
      ['appId', 128],
      ['userId', 256],
    ])('refuses a %s longer than %i characters', async (field, max) => {
      expect((await submitted(feedbackInput({ [field]: 'é'.repeat(max) })))[field as keyof FeedbackPayload]).toBe('é'.repeat(max));
      const error = await refused(feedbackInput({ [field]: 'x'.repeat(max + 1) }));
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `input.${field}` });
      expect(error?.message).toBe(`input.${field}: must be at most ${max} characters`);
    });

    it('refuses feedback that names no log, trace or app', async () => {
      const error = await refused({ rating: 'POSITIVE', comment: 'about nothing' });
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.logEventId' });
    });

    it('refuses an unknown rating', async () => {
      const error = await refused(feedbackInput({ rating: 'MEH' }));
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error?.message).toContain('FeedbackRating');
    });

    it('trims text and stores blank text as absent', async () => {
      const feedback = await submitted(feedbackInput({ appId: '  v-trim ', comment: '   ', category: ' too slow ' }));
      expect(feedback).toMatchObject({ appId: 'v-trim', comment: null, category: 'too slow' });
    });
  });
});

describe.each(testDatabases())('submitFeedback with REDACT on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    const defaults = loadConfig({});
    sut = await startTestLumen(created.config, {
      dataProtection: { ...defaults.dataProtection, redact: ['email', 'phone'], redactPatterns: ['CASE-\\d{5}'] },
    });
  });
  afterAll(async () => {
    await sut?.stop();
    await drop?.();
  });

  it('redacts personal data in the comment before it is stored', async () => {
    const input = feedbackInput({ comment: 'Wrong again, write to grace@example.org or call +44 20 7946 0958 (CASE-12345)' });
    const feedback = (await sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input })).data!.submitFeedback;
    const expected = 'Wrong again, write to [REDACTED:email] or call [REDACTED:phone] ([REDACTED:custom])';
    expect(feedback.comment).toBe(expected);
    const [row] = await sut.lumen.services.sql.query<{ comment: string }>('select comment from user_feedback where id = $1', [feedback.id]);
    expect(row!.comment).toBe(expected);
  });
});
