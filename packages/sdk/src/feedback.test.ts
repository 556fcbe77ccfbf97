import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

import { Lumen } from './client.js';
import type { LumenError } from './errors.js';
import type { LumenOptions } from './options.js';
import { entry } from './test/entries.js';
import { createIngestKey, gql, storedLogs, uniqueAppId } from './test/lumen-api.js';
import { startScriptedProxy, type ScriptedProxy } from './test/scripted-proxy.js';
import type { FeedbackInput } from './types.js';

interface StoredFeedback {
  id: string;
  feedbackId: string | null;
  logId: string | null;
  logEventId: string | null;
  traceId: string | null;
  appId: string | null;
  userId: string | null;
  rating: string;
  score: number | null;
  comment: string | null;
  category: string | null;
  status: string;
}

async function storedFeedback(appId: string): Promise<StoredFeedback[]> {
  const data = await gql<{ feedback: { edges: { node: StoredFeedback }[] } }>(
    `query($appId: String!) { feedback(filter: { appId: $appId }, first: 50) {
      edges { node { id feedbackId logId logEventId traceId appId userId rating score comment category status } } } }`,
    { appId },
  );
  return data.feedback.edges.map((edge) => edge.node);
}

describe('Lumen.feedback', () => {
  let apiKey: string;
  let proxy: ScriptedProxy | undefined;
  let sut: Lumen | undefined;

  beforeAll(async () => {
    apiKey = await createIngestKey();
  });
  afterEach(async () => {
    await sut?.shutdown({ timeoutMs: 5_000 });
    await proxy?.close();
    sut = undefined;
    proxy = undefined;
  });

  function client(appId: string, options: LumenOptions = {}) {
    const errors: LumenError[] = [];
    sut = new Lumen({
      apiKey,
      endpoint: inject('lumenUrl'),
      appId,
      backoffBaseMs: 1,
      backoffCapMs: 5,
      logger: null,
      onError: (error) => errors.push(error),
      ...options,
    });
    return { sut, errors };
  }

  it('sends feedback on a logged call, linked to its log by eventId', async () => {
    const appId = uniqueAppId('feedback');
    const { sut, errors } = client(appId);
    const logEventId = sut.log(entry({ userId: 'user-5' }));
    await sut.flush();

    const submitted = await sut.feedback({
      logEventId,
      rating: 'NEGATIVE',
      score: 2,
      comment: 'It says the order shipped, but it has not.',
      category: 'wrong answer',
    });

    const [log] = await storedLogs(appId);
    expect(submitted).toMatchObject({ id: expect.any(String), feedbackId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'OPEN' });
    expect(await storedFeedback(appId)).toEqual([
      {
        id: submitted!.id,
        feedbackId: submitted!.feedbackId,
        logId: log!.id,
        logEventId,
        traceId: null,
        appId,
        userId: 'user-5',
        rating: 'NEGATIVE',
        score: 2,
        comment: 'It says the order shipped, but it has not.',
        category: 'wrong answer',
        status: 'OPEN',
      },
    ]);
    expect(log).toMatchObject({ eventId: logEventId, userId: 'user-5' });
    expect(sut.stats()).toMatchObject({ feedbackSent: 1, feedbackFailed: 0 });
    expect(errors).toEqual([]);
  });

  it('links feedback by traceId when the eventId is not known', async () => {
    const appId = uniqueAppId('feedback-trace');
    const { sut } = client(appId);
    sut.log(entry({ traceId: `trace-${appId}` }));
    await sut.flush();
    const [log] = await storedLogs(appId);

    await sut.feedback({ traceId: `trace-${appId}`, rating: 'POSITIVE' });

    expect(await storedFeedback(appId)).toMatchObject([{ rating: 'POSITIVE', traceId: `trace-${appId}`, logId: log!.id }]);
  });

  it('retries feedback whose answer was lost, and it is stored once', async () => {
    const appId = uniqueAppId('feedback-retry');
    proxy = await startScriptedProxy(inject('lumenUrl'), ['forward-then-fail', { reply: 503, headers: { 'retry-after': '0' } }]);
    const { sut } = client(appId, { endpoint: proxy.url });

    const input: FeedbackInput = { appId, rating: 'POSITIVE', score: 5, comment: 'Spot on' };
    const pending = sut.feedback(input);
    await sut.flush();

    const submitted = await pending;
    expect(proxy.requests).toHaveLength(3);
    const ids = proxy.requests.map((request) => (request.body.variables.input as FeedbackInput).feedbackId);
    expect(new Set(ids).size).toBe(1);
    expect(sut.stats()).toMatchObject({ feedbackSent: 1, retries: 2 });
    expect(await storedFeedback(appId)).toMatchObject([{ id: submitted!.id, feedbackId: ids[0], score: 5 }]);
  });

  it('refuses invalid feedback without sending it', async () => {
    const { sut, errors } = client(uniqueAppId('feedback-invalid'), { appId: undefined });

    const results = await Promise.all([
      sut.feedback({ logEventId: 'e-1', rating: 'MEH' as FeedbackInput['rating'] }),
      sut.feedback({ logEventId: 'e-1', rating: 'POSITIVE', score: 7 }),
      sut.feedback({ rating: 'POSITIVE' }),
    ]);

    expect(results).toEqual([null, null, null]);
    expect(errors.map((error) => [error.kind, error.field])).toEqual([
      ['invalid', 'rating'],
      ['invalid', 'score'],
      ['invalid', 'logEventId'],
    ]);
    expect(sut.stats()).toMatchObject({ feedbackSent: 0, feedbackFailed: 3, retries: 0 });
  });

  it('drops feedback the server refuses, without retrying, and reports it', async () => {
    const appId = uniqueAppId('feedback-refused');
    const { sut, errors } = client(appId);

    const submitted = await sut.feedback({ appId, rating: 'NEGATIVE', comment: 'x'.repeat(4_001) });

    expect(submitted).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'request_failed', operation: 'submitFeedback', code: 'BAD_USER_INPUT', attempts: 1 });
    expect(sut.stats()).toMatchObject({ feedbackFailed: 1, retries: 0 });
    expect(await storedFeedback(appId)).toEqual([]);
  });

  it('refuses feedback after shutdown', async () => {
    const { sut, errors } = client(uniqueAppId('feedback-closed'));
    await sut.shutdown();

    expect(await sut.feedback({ logEventId: 'e-2', rating: 'POSITIVE' })).toBeNull();
    expect(errors.map((error) => error.kind)).toEqual(['closed']);
  });
});
