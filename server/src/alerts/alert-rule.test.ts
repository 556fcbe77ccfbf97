import { beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import {
  ALERT_RULE_FIELDS,
  alertRuleInput,
  alertTestConfig,
  CREATE_ALERT_RULE,
  createRule,
  type AlertRulePayload,
} from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { useTestLumen } from '../test/lumen.js';

const UPDATE = `mutation($id: ID!, $input: AlertRuleInput!) { updateAlertRule(id: $id, input: $input) { ${ALERT_RULE_FIELDS} webhookSecret } }`;

describe.each(testDatabases())('alert rules on $name', (database) => {
  const sut = useTestLumen(database, { ...alertTestConfig({ allowPrivateWebhooks: false }) });
  let readKey: string;
  let ingestKey: string;

  beforeAll(async () => {
    readKey = await sut.createKey(ApiKeyRole.READ);
    ingestKey = await sut.createKey(ApiKeyRole.INGEST);
  });

  it('creates a rule with defaults for what the input leaves out, and a signing secret', async () => {
    const rule = await createRule(sut, {
      name: '  Error rate of chat  ',
      metric: 'ERROR_RATE',
      threshold: 0.2,
      appId: 'chat',
      minSamples: undefined,
    });
    expect(rule).toMatchObject({
      name: 'Error rate of chat',
      metric: 'ERROR_RATE',
      operator: 'GT',
      threshold: '0.2',
      windowMinutes: 5,
      appId: 'chat',
      model: null,
      minSamples: 1,
      severity: 'WARNING',
      cooldownMinutes: 60,
      webhookUrl: null,
      emails: [],
      enabled: true,
    });
    expect(rule.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
  });

  it('lists and reads rules with a READ key, but shows the secret only to ADMIN keys', async () => {
    const rule = await createRule(sut, { name: 'Readable' });
    const listed = await sut.gql<{ alertRules: AlertRulePayload[] }>(`{ alertRules { id name } }`, {}, readKey);
    expect(listed.data!.alertRules).toContainEqual({ id: rule.id, name: 'Readable' });
    const one = await sut.gql<{ alertRule: AlertRulePayload }>(
      'query($id: ID!) { alertRule(id: $id) { id threshold } }',
      { id: rule.id },
      readKey,
    );
    expect(one.data!.alertRule).toEqual({ id: rule.id, threshold: '0.5' });
    const secret = await sut.gql('query($id: ID!) { alertRule(id: $id) { webhookSecret } }', { id: rule.id }, readKey);
    expect(secret.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows READ keys only the origin of a webhook URL, which often holds a token', async () => {
    const rule = await createRule(sut, { webhookUrl: 'https://hooks.example.com/services/T000/B000/secret-token' });
    const asRead = await sut.gql<{ alertRule: { webhookUrl: string } }>(
      'query($id: ID!) { alertRule(id: $id) { webhookUrl } }',
      { id: rule.id },
      readKey,
    );
    expect(asRead.data!.alertRule.webhookUrl).toBe('https://hooks.example.com/…');
    const asAdmin = await sut.gql<{ alertRule: { webhookUrl: string } }>('query($id: ID!) { alertRule(id: $id) { webhookUrl } }', {
      id: rule.id,
    });
    expect(asAdmin.data!.alertRule.webhookUrl).toBe('https://hooks.example.com/services/T000/B000/secret-token');
  });

  it('lets only ADMIN keys change rules', async () => {
    for (const key of [readKey, ingestKey]) {
      const refused = await sut.gql(CREATE_ALERT_RULE, { input: alertRuleInput() }, key);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await sut.gql('{ alertRules { id } }', {}, ingestKey)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('replaces a rule on update and keeps its secret unless a new one is given', async () => {
    const rule = await createRule(sut, { name: 'Before', emails: ['a@example.com'] });
    const updated = await sut.gql<{ updateAlertRule: AlertRulePayload }>(UPDATE, {
      id: rule.id,
      input: alertRuleInput({
        name: 'After',
        metric: 'LATENCY_P95',
        threshold: '3000',
        operator: 'GTE',
        model: 'gpt-4o',
        severity: 'CRITICAL',
        cooldownMinutes: 0,
      }),
    });
    expect(updated.data!.updateAlertRule).toMatchObject({
      id: rule.id,
      name: 'After',
      metric: 'LATENCY_P95',
      threshold: '3000',
      operator: 'GTE',
      model: 'gpt-4o',
      severity: 'CRITICAL',
      cooldownMinutes: 0,
      emails: [],
      webhookSecret: rule.webhookSecret,
    });

    const rotated = await sut.gql<{ updateAlertRule: AlertRulePayload }>(UPDATE, {
      id: rule.id,
      input: alertRuleInput({ webhookSecret: 'my-own-secret-of-some-length' }),
    });
    expect(rotated.data!.updateAlertRule.webhookSecret).toBe('my-own-secret-of-some-length');
  });

  it('deletes a rule, and answers NOT_FOUND for one that is gone', async () => {
    const rule = await createRule(sut);
    expect((await sut.gql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: rule.id })).data).toEqual({ deleteAlertRule: true });
    const again = await sut.gql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: rule.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const update = await sut.gql(UPDATE, { id: rule.id, input: alertRuleInput() });
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it.each([
    [{ name: '   ' }, 'input.name', 'must be 1 to 200 characters'],
    [{ threshold: '-1' }, 'input.threshold', 'must not be negative'],
    [{ metric: 'ERROR_RATE', threshold: '20' }, 'input.threshold', 'write 0.2 for 20 %'],
    [{ windowMinutes: 0 }, 'input.windowMinutes', 'from 1 to 44640'],
    [{ windowMinutes: 44_641 }, 'input.windowMinutes', 'from 1 to 44640'],
    [{ minSamples: -1 }, 'input.minSamples', 'from 0 to'],
    [{ cooldownMinutes: 20_000 }, 'input.cooldownMinutes', 'from 0 to 10080'],
    [{ webhookUrl: 'ftp://example.com/hook' }, 'input.webhookUrl', 'must be an http or https URL'],
    [{ webhookUrl: 'not a url' }, 'input.webhookUrl', 'is not a valid URL'],
    [{ webhookUrl: 'https://user:pw@example.com/hook' }, 'input.webhookUrl', 'must not contain a user name or password'],
    [{ webhookUrl: 'http://127.0.0.1:9000/hook' }, 'input.webhookUrl', 'WEBHOOK_ALLOW_PRIVATE'],
    [{ webhookUrl: 'http://[::1]/hook' }, 'input.webhookUrl', 'private or local address'],
    [{ webhookUrl: 'http://169.254.169.254/latest/meta-data' }, 'input.webhookUrl', 'private or local address'],
    [{ webhookUrl: 'http://localhost:4000/hook' }, 'input.webhookUrl', 'private or local address'],
    [{ emails: ['ops@example.com', 'not-an-address'] }, 'input.emails.1', 'is not an email address'],
    [{ webhookSecret: 'short' }, 'input.webhookSecret', '16 to 256 printable characters'],
    [{ appId: 'x'.repeat(257) }, 'input.appId', 'at most 256 characters'],
  ])('refuses %j naming %s', async (overrides, field, message) => {
    const result = await sut.gql(CREATE_ALERT_RULE, { input: alertRuleInput(overrides) });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toContain(message);
  });

  it('keeps each email address once and a public webhook URL as given', async () => {
    const rule = await createRule(sut, {
      emails: ['Ops@Example.com', 'ops@example.com', ' dev@example.com '],
      webhookUrl: 'https://hooks.example.com/lumen?team=llm',
    });
    expect(rule.emails).toEqual(['Ops@Example.com', 'dev@example.com']);
    expect(rule.webhookUrl).toBe('https://hooks.example.com/lumen?team=llm');
  });
});
