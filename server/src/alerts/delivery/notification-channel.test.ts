import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiKeyRole } from '../../auth/api-key.entity.js';
import { alertTestConfig, CHANNEL_FIELDS, createChannel, createRule, rate, recordsOf } from '../../test/alerts.js';
import { testDatabases } from '../../test/databases.js';
import { startTestLumen, waitFor, type TestLumen } from '../../test/lumen.js';
import { startWebhookReceiver, type Answer, type ReceivedCall, type WebhookReceiver } from '../../test/webhook-receiver.js';
import { verifyWebhook } from './webhook.signature.js';

const TEST_CHANNEL = `mutation($id: ID!, $language: String) {
  testNotificationChannel(id: $id, language: $language) { ok statusCode answer error retryable disabled durationMs }
}`;

interface TestResult {
  ok: boolean;
  statusCode: number | null;
  answer: string | null;
  error: string | null;
  retryable: boolean;
  disabled: boolean;
}

interface FeishuCard {
  header: { title: { content: string } };
  elements: [{ text: { content: string } }, unknown, { actions: { text: { content: string } }[] }];
}

interface DeliveryRow {
  event: string;
  channel: string;
  channelName: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
}

describe.each(testDatabases())('notification channels on $name', (database) => {
  let sut: TestLumen;
  let drop: () => Promise<void>;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (answer?: (call: ReceivedCall, index: number) => Answer) => {
    const started = await startWebhookReceiver(answer);
    receivers.push(started);
    return started;
  };
  const evaluate = () => sut.lumen.services.alerts.engine.evaluateNow();
  /** A rule on its own app that breaches as soon as one negative rating arrives, telling `channelIds`. */
  const fireRule = async (appId: string, channelIds: string[], overrides: Record<string, unknown> = {}) => {
    const rule = await createRule(sut, { appId, channelIds, ...overrides });
    await rate(sut, appId, 1);
    await evaluate();
    return rule;
  };
  const deliveriesOf = async (ruleId: string): Promise<DeliveryRow[]> => {
    const [alert] = await recordsOf(sut, ruleId);
    const result = await sut.gql<{ alertRecord: { deliveries: DeliveryRow[] } }>(
      'query($id: ID!) { alertRecord(id: $id) { deliveries { event channel channelName status attempts lastError } } }',
      { id: alert!.id },
    );
    return result.data!.alertRecord.deliveries;
  };
  const test = async (id: string, language = 'en') => {
    const result = await sut.gql<{ testNotificationChannel: TestResult }>(TEST_CHANNEL, { id, language });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.testNotificationChannel;
  };

  beforeAll(async () => {
    const created = await database.create();
    drop = created.drop;
    sut = await startTestLumen(created.config, { ...alertTestConfig(), publicUrl: 'https://lumen.example.com' });
  });
  afterAll(async () => {
    await sut?.stop();
    for (const started of receivers) await started.close();
    await drop?.();
  });

  it('never returns a secret: ADMIN keys see a hint, READ keys the URL origin only', async () => {
    const { channel } = await createChannel(sut, {
      name: 'Ops DingTalk',
      kind: 'DINGTALK',
      url: 'http://127.0.0.1:9/robot/send?access_token=tok',
      secret: 'SECabcdef0123456789',
    });
    expect(channel).toMatchObject({ secretSet: true, secretHint: '••••6789', url: 'http://127.0.0.1:9/robot/send?access_token=tok' });
    const read = await sut.createKey(ApiKeyRole.READ);
    const listed = await sut.gql<{ notificationChannels: { name: string; url: string; secretSet: boolean; secretHint: string | null }[] }>(
      `query { notificationChannels { ${CHANNEL_FIELDS} } }`,
      {},
      read,
    );
    expect(listed.data!.notificationChannels).toContainEqual(
      expect.objectContaining({ name: 'Ops DingTalk', url: 'http://127.0.0.1:9/…', secretSet: true, secretHint: null }),
    );
    const refused = await sut.gql(
      'mutation { createNotificationChannel(input: { name: "x", kind: SLACK, url: "https://hooks.slack.com/services/a" }) { secret } }',
      {},
      read,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('signs generic webhooks with Standard Webhooks headers that the standardwebhooks package verifies, beside X-Lumen-Signature', async () => {
    const hook = await receiver();
    const { channel, secret } = await createChannel(sut, { name: 'Generic', kind: 'WEBHOOK', url: hook.url });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    await fireRule('sw', [channel.id]);
    const [call] = await hook.waitForCalls(1);
    const verified = new Webhook(secret!).verify(call!.body, call!.headers as Record<string, string>) as Record<string, unknown>;
    expect(verified).toMatchObject({ type: 'alert.fired', message: { condition: 'Negative feedback rate > 50% over 5 minutes' } });
    expect(call!.headers['webhook-id']).toBe(call!.headers['x-lumen-delivery']);
    expect(verifyWebhook(secret!, String(call!.headers['x-lumen-timestamp']), call!.body, String(call!.headers['x-lumen-signature']))).toBe(
      true,
    );
    expect(() => new Webhook(secret!).verify(`${call!.body} `, call!.headers as Record<string, string>)).toThrow();
  });

  it('posts a Slack Block Kit message that says what fired, with links to the alert and the failing calls', async () => {
    const slack = await receiver();
    const { channel } = await createChannel(sut, { name: 'Slack', kind: 'SLACK', url: slack.url });
    const rule = await fireRule('slack-app', [channel.id], { name: 'Unhappy chat users', severity: 'CRITICAL' });
    const [call] = await slack.waitForCalls(1);
    const [alert] = await recordsOf(sut, rule.id);
    const blocks = call!.json.blocks as {
      type: string;
      text?: { text: string };
      fields?: { text: string }[];
      elements?: { url: string }[];
    }[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '[FIRING] Unhappy chat users' } });
    expect(blocks[1]!.text!.text).toBe('*Negative feedback rate &gt; 50% over 5 minutes*');
    expect(blocks[2]!.fields!.map((field) => field.text)).toEqual(
      expect.arrayContaining(['*Value*\n100%', '*Scope*\nApp slack-app', '*Severity*\nCritical']),
    );
    const links = blocks[3]!.elements!.map((element) => element.url);
    expect(links[0]).toBe(`https://lumen.example.com/alerts?alert=${alert!.id}`);
    expect(links[1]).toMatch(/^https:\/\/lumen\.example\.com\/logs\?status=ERROR&from=.+&to=.+&appId=slack-app$/);
    expect(call!.json.text).toContain('Unhappy chat users is FIRING');
  });

  it('posts a signed Feishu card in Chinese for a zh-CN rule, signed as Feishu documents', async () => {
    const feishu = await receiver(() => ({ status: 200, body: { code: 0, msg: 'success', data: {} } }));
    const { channel } = await createChannel(sut, { name: '飞书', kind: 'FEISHU', url: feishu.url, secret: 'feishu-secret-1' });
    const rule = await fireRule('feishu-app', [channel.id], { name: '差评告警', language: 'zh-CN' });
    const [call] = await feishu.waitForCalls(1);
    const { timestamp, sign, msg_type: type, card } = call!.json as { timestamp: string; sign: string; msg_type: string; card: FeishuCard };
    // Feishu: base64(HMAC-SHA256 with key "timestamp\nsecret" over an empty message), timestamp in seconds.
    expect(sign).toBe(createHmac('sha256', `${timestamp}\nfeishu-secret-1`).update('').digest('base64'));
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(3600);
    expect(type).toBe('interactive');
    expect(card.header.title.content).toBe('[告警中] 差评告警');
    expect(card.elements[0].text.content).toBe('**5分钟内差评率 > 50%**');
    expect(JSON.stringify(card.elements[1])).toContain('应用 feishu-app');
    expect(card.elements[2].actions.map((action) => action.text.content)).toEqual(['查看告警', '查看失败的调用']);
    await waitFor(async () => (await deliveriesOf(rule.id))[0]?.status === 'SENT');
  });

  it('posts a DingTalk markdown message with timestamp and sign in the query, as DingTalk documents', async () => {
    const ding = await receiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    const { channel } = await createChannel(sut, {
      name: 'DingTalk',
      kind: 'DINGTALK',
      url: `${ding.url}?access_token=tok`,
      secret: 'SECding0001',
    });
    await fireRule('ding-app', [channel.id]);
    const [call] = await ding.waitForCalls(1);
    const query = new URL(call!.url, 'http://receiver').searchParams;
    expect(query.get('access_token')).toBe('tok');
    const timestamp = query.get('timestamp')!;
    // DingTalk: base64(HMAC-SHA256 keyed with the secret over "timestamp\nsecret"), timestamp in milliseconds, URL-encoded.
    expect(query.get('sign')).toBe(createHmac('sha256', 'SECding0001').update(`${timestamp}\nSECding0001`).digest('base64'));
    expect(call!.url).toContain(`sign=${encodeURIComponent(query.get('sign')!)}`);
    expect(call!.json).toMatchObject({ msgtype: 'markdown', markdown: { title: '[FIRING] Unhappy users' } });
    expect((call!.json.markdown as { text: string }).text).toContain('**Negative feedback rate > 50% over 5 minutes**');
  });

  it('posts WeCom markdown in the rule language', async () => {
    const wecom = await receiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    const { channel } = await createChannel(sut, { name: 'WeCom', kind: 'WECOM', url: `${wecom.url}?key=k` });
    await fireRule('wecom-app', [channel.id], { language: 'zh-CN', windowMinutes: 60 });
    const [call] = await wecom.waitForCalls(1);
    expect(call!.json.msgtype).toBe('markdown');
    const content = (call!.json.markdown as { content: string }).content;
    expect(content).toContain('**1小时内差评率 > 50%**');
    expect(content).toContain('> 当前值: <font color="comment">100%</font>');
  });

  it('follows the alert in PagerDuty: trigger on fire, acknowledge on acknowledge, resolve on resolve, with one dedup_key', async () => {
    const pd = await receiver(() => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'x' } }));
    const { channel } = await createChannel(sut, { name: 'PagerDuty', kind: 'PAGERDUTY', url: pd.url, secret: 'routing-key-0001' });
    const rule = await fireRule('pd-app', [channel.id], { severity: 'CRITICAL' });
    const [alert] = await recordsOf(sut, rule.id);
    await pd.waitForCalls(1);
    await sut.gql('mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }', { id: alert!.id });
    await pd.waitForCalls(2);
    await sut.gql('mutation($id: ID!) { resolveAlert(id: $id) { id } }', { id: alert!.id });
    const calls = await pd.waitForCalls(3);
    expect(calls.map((call) => call.json.event_action)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(new Set(calls.map((call) => call.json.dedup_key))).toEqual(new Set([`lumen-alert-${alert!.id}`]));
    expect(calls.every((call) => call.json.routing_key === 'routing-key-0001')).toBe(true);
    expect(calls[0]!.json.payload).toMatchObject({
      severity: 'critical',
      source: 'lumen',
      component: 'pd-app',
      class: 'NEGATIVE_FEEDBACK_RATE',
    });
    expect((calls[0]!.json.payload as { summary: string }).summary).toContain('Negative feedback rate > 50% over 5 minutes');
  });

  it.each([
    { kind: 'SLACK', answer: { status: 403, body: 'invalid_token' }, retryable: false, error: 'HTTP 403: invalid_token' },
    { kind: 'SLACK', answer: { status: 404, body: 'no_service' }, retryable: false, error: 'HTTP 404: no_service' },
    { kind: 'SLACK', answer: { status: 429, body: 'rate_limited' }, retryable: true, error: 'HTTP 429: rate_limited' },
    { kind: 'SLACK', answer: { status: 500, body: 'rollup_error' }, retryable: true, error: 'HTTP 500: rollup_error' },
    {
      kind: 'FEISHU',
      answer: { status: 200, body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } },
      retryable: false,
      error: 'code 19021: sign match fail',
    },
    {
      kind: 'FEISHU',
      answer: { status: 200, body: { code: 11232, msg: 'frequency limited' } },
      retryable: true,
      error: 'code 11232: frequency limited',
    },
    {
      kind: 'DINGTALK',
      answer: { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } },
      retryable: false,
      error: 'errcode 310000: sign not match',
    },
    {
      kind: 'DINGTALK',
      answer: { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } },
      retryable: true,
      error: 'errcode 130101: send too fast',
    },
    {
      kind: 'WECOM',
      answer: { status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } },
      retryable: false,
      error: 'errcode 93000: invalid webhook url',
    },
    {
      kind: 'WECOM',
      answer: { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } },
      retryable: true,
      error: 'errcode 45009',
    },
    {
      kind: 'PAGERDUTY',
      answer: { status: 400, body: { status: 'invalid event', message: 'Event object is invalid' } },
      retryable: false,
      error: 'HTTP 400',
    },
    { kind: 'PAGERDUTY', answer: { status: 429, body: '' }, retryable: true, error: 'HTTP 429' },
  ])('counts a $kind answer $answer.status $answer.body as a failure (retried: $retryable)', async ({ kind, answer, retryable, error }) => {
    const refusing = await receiver(() => answer);
    const { channel } = await createChannel(sut, {
      name: `refusing ${kind} ${refusing.url}`,
      kind,
      url: refusing.url,
      ...(kind === 'PAGERDUTY' ? { secret: 'routing-key-0002' } : {}),
    });
    const result = await test(channel.id);
    expect(result).toMatchObject({ ok: false, statusCode: answer.status, retryable, disabled: false });
    expect(result.error).toContain(error);
    expect(result.answer).toBe(typeof answer.body === 'string' ? answer.body || null : JSON.stringify(answer.body));
  });

  it('sends a real test message in the chosen language and reports the answer', async () => {
    const ding = await receiver(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    const { channel } = await createChannel(sut, { name: 'Test DingTalk', kind: 'DINGTALK', url: ding.url });
    expect(await test(channel.id, 'zh-CN')).toMatchObject({
      ok: true,
      statusCode: 200,
      answer: '{"errcode":0,"errmsg":"ok"}',
      error: null,
    });
    const [call] = await ding.waitForCalls(1);
    expect((call!.json.markdown as { text: string }).text).toContain('来自 Lumen 的测试消息');
  });

  it('retries a rate-limited Slack message and gives up at once on a refused DingTalk signature', async () => {
    const slack = await receiver((_call, index) => (index === 0 ? { status: 429, body: 'rate_limited' } : 200));
    const ding = await receiver(() => ({ status: 200, body: { errcode: 310000, errmsg: 'sign not match' } }));
    const slackChannel = await createChannel(sut, { name: 'Slack retry', kind: 'SLACK', url: slack.url });
    const dingChannel = await createChannel(sut, { name: 'Ding refused', kind: 'DINGTALK', url: ding.url, secret: 'SECwrong' });
    const rule = await fireRule('retry-app', [slackChannel.channel.id, dingChannel.channel.id]);
    await slack.waitForCalls(2);
    await waitFor(async () => (await deliveriesOf(rule.id)).every((delivery) => delivery.status !== 'PENDING'));
    const deliveries = await deliveriesOf(rule.id);
    expect(deliveries).toContainEqual(
      expect.objectContaining({ channel: 'SLACK', channelName: 'Slack retry', status: 'SENT', attempts: 2 }),
    );
    expect(deliveries).toContainEqual(
      expect.objectContaining({ channel: 'DINGTALK', status: 'FAILED', attempts: 1, lastError: 'errcode 310000: sign not match' }),
    );
  });

  it('disables a channel whose receiver answers 410 Gone, and says so in the inbox', async () => {
    const gone = await receiver(() => ({ status: 410, body: 'channel_is_archived' }));
    const { channel } = await createChannel(sut, { name: 'Archived', kind: 'SLACK', url: gone.url });
    const first = await fireRule('gone-app', [channel.id]);
    await gone.waitForCalls(1);
    await waitFor(async () => (await deliveriesOf(first.id))[0]?.status === 'FAILED');
    const [delivery] = await deliveriesOf(first.id);
    expect(delivery).toMatchObject({ attempts: 1, channelName: 'Archived' });
    expect(delivery!.lastError).toContain('HTTP 410: channel_is_archived (the receiver is gone: channel "Archived" was disabled)');
    const read = await sut.gql<{ notificationChannel: { enabled: boolean; disabledReason: string } }>(
      'query($id: ID!) { notificationChannel(id: $id) { enabled disabledReason } }',
      { id: channel.id },
    );
    expect(read.data!.notificationChannel.enabled).toBe(false);
    expect(read.data!.notificationChannel.disabledReason).toContain('the receiver answered HTTP 410: channel_is_archived');

    const second = await fireRule('gone-app-2', [channel.id]);
    const [skipped] = await deliveriesOf(second.id);
    expect(skipped).toMatchObject({ status: 'SKIPPED', attempts: 0 });
    expect(skipped!.lastError).toMatch(/^channel "Archived" is disabled: disabled at .+ the receiver answered HTTP 410/);
    expect(gone.calls).toHaveLength(1);
  });

  it('refuses a rule naming a channel that does not exist', async () => {
    const result = await sut.gql('mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
      input: {
        name: 'x',
        metric: 'ERROR_RATE',
        operator: 'GT',
        threshold: '0.1',
        windowMinutes: 5,
        channelIds: ['00000000-0000-4000-8000-000000000000'],
      },
    });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.channelIds' } });
  });
});
