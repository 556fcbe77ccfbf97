import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { testDatabases } from '../test/databases.js';
import { FEEDBACK_FIELDS, feedbackInput, SUBMIT_FEEDBACK, type FeedbackPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

const RESOLVE = `mutation($id: ID!, $note: String) { resolveFeedback(id: $id, note: $note) { ${FEEDBACK_FIELDS} } }`;
const REOPEN = `mutation($id: ID!) { reopenFeedback(id: $id) { ${FEEDBACK_FIELDS} } }`;

describe.each(testDatabases())('resolveFeedback and reopenFeedback on $name', (database) => {
  const sut = useTestLumen(database);
  let lead: { key: string; id: string };
  let other: { key: string; id: string };

  const createAdmin = async (name: string) => {
    const result = await sut.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      'mutation($name: String!) { createApiKey(name: $name, role: ADMIN) { key apiKey { id } } }',
      { name },
    );
    return { key: result.data!.createApiKey.key, id: result.data!.createApiKey.apiKey.id };
  };
  const submit = async () =>
    (await sut.gql<{ submitFeedback: FeedbackPayload }>(SUBMIT_FEEDBACK, { input: feedbackInput({ appId: 'res' }) })).data!.submitFeedback;
  const resolve = (id: string, note: string | null, key: string) =>
    sut.gql<{ resolveFeedback: FeedbackPayload }>(RESOLVE, { id, note }, key);
  const reopen = (id: string, key: string) => sut.gql<{ reopenFeedback: FeedbackPayload }>(REOPEN, { id }, key);
  const within = (iso: string | null, before: number, after: number) => {
    const at = Date.parse(iso!);
    return at >= before - 1000 && at <= after + 1000;
  };

  beforeAll(async () => {
    lead = await createAdmin('support lead');
    other = await createAdmin('on-call');
  });

  it('resolves feedback with a note, recording which key did it and when', async () => {
    const feedback = await submit();
    const before = Date.now();
    const resolved = (await resolve(feedback.id, 'Fixed the retrieval index.', lead.key)).data!.resolveFeedback;
    expect(resolved).toMatchObject({
      id: feedback.id,
      status: 'RESOLVED',
      resolutionNote: 'Fixed the retrieval index.',
      resolvedBy: 'support lead',
      resolvedByKeyId: lead.id,
    });
    expect(within(resolved.resolvedAt, before, Date.now())).toBe(true);
    expect(resolved).toMatchObject({ comment: feedback.comment, rating: feedback.rating, createdAt: feedback.createdAt, reopenedAt: null });
  });

  it('reopens resolved feedback, recording who and when and keeping the last resolution', async () => {
    const feedback = await submit();
    await resolve(feedback.id, 'Looks fine.', lead.key);
    const before = Date.now();
    const reopened = (await reopen(feedback.id, other.key)).data!.reopenFeedback;
    expect(reopened).toMatchObject({
      status: 'OPEN',
      reopenedBy: 'on-call',
      reopenedByKeyId: other.id,
      resolutionNote: 'Looks fine.',
      resolvedBy: 'support lead',
    });
    expect(within(reopened.reopenedAt, before, Date.now())).toBe(true);

    const again = (await resolve(feedback.id, null, other.key)).data!.resolveFeedback;
    expect(again).toMatchObject({
      status: 'RESOLVED',
      resolutionNote: null,
      resolvedBy: 'on-call',
      resolvedByKeyId: other.id,
      reopenedBy: 'on-call',
    });
  });

  it('returns open feedback unchanged when asked to reopen it', async () => {
    const feedback = await submit();
    expect((await reopen(feedback.id, lead.key)).data!.reopenFeedback).toEqual(feedback);
  });

  it('shows the status in the list filters', async () => {
    const feedback = await submit();
    await resolve(feedback.id, 'done', lead.key);
    const result = await sut.gql<{ feedback: { nodes: { id: string }[] } }>(
      '{ feedback(filter: { status: RESOLVED, appId: "res" }, first: 500) { nodes { id } } }',
    );
    expect(result.data!.feedback.nodes.map((node) => node.id)).toContain(feedback.id);
    await reopen(feedback.id, lead.key);
    const after = await sut.gql<{ feedback: { nodes: { id: string }[] } }>(
      '{ feedback(filter: { status: RESOLVED, appId: "res" }, first: 500) { nodes { id } } }',
    );
    expect(after.data!.feedback.nodes.map((node) => node.id)).not.toContain(feedback.id);
  });

  it.each([ApiKeyRole.READ, ApiKeyRole.INGEST])('refuses a %s key with FORBIDDEN and changes nothing', async (role) => {
    const key = await sut.createKey(role);
    const feedback = await submit();
    expect((await resolve(feedback.id, 'no', key)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await resolve(feedback.id, 'yes', lead.key);
    expect((await reopen(feedback.id, key)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [row] = await sut.lumen.services.sql.query('select status, resolution_note from user_feedback where id = $1', [feedback.id]);
    expect(row).toEqual({ status: 'RESOLVED', resolution_note: 'yes' });
  });

  it('answers NOT_FOUND for feedback that does not exist and BAD_USER_INPUT for a malformed id', async () => {
    const missing = randomUUID();
    expect((await resolve(missing, null, lead.key)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', id: missing });
    expect((await reopen(missing, lead.key)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', id: missing });
    expect((await resolve('42', null, lead.key)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('refuses a note longer than 2,000 characters', async () => {
    const feedback = await submit();
    const result = await resolve(feedback.id, 'n'.repeat(2001), lead.key);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    expect((await resolve(feedback.id, 'n'.repeat(2000), lead.key)).data!.resolveFeedback.resolutionNote).toHaveLength(2000);
  });
});
