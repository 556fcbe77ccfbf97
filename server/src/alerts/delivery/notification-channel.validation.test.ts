import { describe, expect, it } from 'vitest';

import { AlertChannel } from './alert-channel.js';
import { validateChannel } from './notification-channel.validation.js';

const PRIVATE_URLS = [
  'http://127.0.0.1:8080/hook',
  'http://10.1.2.3/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://192.168.1.10/robot/send?access_token=x',
  'http://localhost/hook',
  'http://[::1]/hook',
  'http://[::ffff:10.0.0.1]/hook',
];

/** Each kind with the URL its provider gives out (their real hosts) and a secret where one is required. */
const PROVIDERS: { kind: AlertChannel; url: string; secret?: string }[] = [
  { kind: AlertChannel.WEBHOOK, url: 'https://hooks.example.com/lumen' },
  { kind: AlertChannel.SLACK, url: 'https://hooks.slack.com/services/T000/B000/XXXXXXXX' },
  { kind: AlertChannel.FEISHU, url: 'https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-0000-4000-8000-000000000000' },
  { kind: AlertChannel.FEISHU, url: 'https://open.larksuite.com/open-apis/bot/v2/hook/0a1b2c3d-0000-4000-8000-000000000000' },
  { kind: AlertChannel.DINGTALK, url: 'https://oapi.dingtalk.com/robot/send?access_token=abc123' },
  { kind: AlertChannel.WECOM, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-0000-4000-8000-000000000000' },
  { kind: AlertChannel.PAGERDUTY, url: 'https://events.pagerduty.com/v2/enqueue', secret: 'R0uT1nGkEy0123456789abcdefABCDEF' },
  { kind: AlertChannel.PAGERDUTY, url: 'https://events.eu.pagerduty.com/v2/enqueue', secret: 'R0uT1nGkEy0123456789abcdefABCDEF' },
];

describe(validateChannel.name, () => {
  const guarded = { allowPrivate: false, creating: true };

  it.each(PROVIDERS)('lets the real $kind host $url through the SSRF guard', ({ kind, url, secret }) => {
    expect(validateChannel({ name: 'ops', kind, url, secret }, guarded)).toMatchObject({ kind, url: new URL(url).toString() });
  });

  it.each(PROVIDERS.flatMap(({ kind, secret }) => PRIVATE_URLS.map((url) => ({ kind, url, secret }))))(
    'refuses a $kind channel to $url',
    ({ kind, url, secret }) => {
      expect(() => validateChannel({ name: 'ops', kind, url, secret }, guarded)).toThrow(
        /input\.url: points to a private or local address/,
      );
    },
  );

  it('defaults a PagerDuty channel to the Events API v2 endpoint and requires its routing key', () => {
    expect(validateChannel({ name: 'pd', kind: AlertChannel.PAGERDUTY, secret: 'key-1234' }, guarded).url).toBe(
      'https://events.pagerduty.com/v2/enqueue',
    );
    expect(() => validateChannel({ name: 'pd', kind: AlertChannel.PAGERDUTY }, guarded)).toThrow(/input\.secret: the routing key/);
  });

  it('refuses a webhook secret that Standard Webhooks libraries could not decode', () => {
    expect(() =>
      validateChannel({ name: 'w', kind: AlertChannel.WEBHOOK, url: 'https://h.example.com', secret: 'not-a-secret' }, guarded),
    ).toThrow(/input\.secret: must be "whsec_"/);
  });

  it('refuses a secret on Slack and WeCom, whose token is in the URL', () => {
    expect(() =>
      validateChannel({ name: 's', kind: AlertChannel.SLACK, url: 'https://hooks.slack.com/services/T/B/X', secret: 'abc' }, guarded),
    ).toThrow(/input\.secret/);
  });

  it('needs addresses for an EMAIL channel and no URL', () => {
    expect(() => validateChannel({ name: 'm', kind: AlertChannel.EMAIL, emails: [] }, guarded)).toThrow(/input\.emails/);
    expect(validateChannel({ name: 'm', kind: AlertChannel.EMAIL, emails: ['a@example.com', 'A@example.com'] }, guarded).emails).toEqual([
      'a@example.com',
    ]);
  });
});
