import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { backoffMs } from './alert-delivery.dispatcher.js';
import { publicLookup } from './webhook.sender.js';
import { signWebhook, verifyWebhook } from './webhook.signature.js';
import { checkWebhookUrl, isPublicAddress, maskWebhookUrl } from './webhook.url-guard.js';

describe(isPublicAddress.name, () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.4.4'])('takes %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
    'not-an-ip',
  ])('takes %s as not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('IPv4 carried inside IPv6', () => {
  it.each([
    '::ffff:7f00:1',
    '64:ff9b::7f00:1',
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '::127.0.0.1',
    '::7f00:1',
    '::a00:1',
    '2002:7f00:1::',
    '2002:c0a8:101::1',
    '64:ff9b:1::a00:1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('takes %s as not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['::ffff:808:808', '64:ff9b::8.8.8.8', '2002:808:808::1'])('takes %s as public, as the IPv4 it carries', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(['http://[64:ff9b::7f00:1]/', 'http://[::127.0.0.1]/', 'http://[::ffff:127.0.0.1]/', 'http://[2002:a9fe:a9fe::]/'])(
    'refuses the webhook URL %s',
    (url) => {
      expect(() => checkWebhookUrl(url, false)).toThrow(/private or local/);
    },
  );
});

describe(checkWebhookUrl.name, () => {
  it('accepts http and https URLs to public hosts', () => {
    expect(checkWebhookUrl(' https://hooks.example.com/a?b=c ', false).toString()).toBe('https://hooks.example.com/a?b=c');
    expect(checkWebhookUrl('http://93.184.216.34:8080/', false).port).toBe('8080');
  });

  it('accepts local addresses only when private webhooks are allowed', () => {
    expect(() => checkWebhookUrl('http://127.0.0.1:9/', false)).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => checkWebhookUrl('http://api.localhost/', false)).toThrow(/private or local/);
    expect(checkWebhookUrl('http://127.0.0.1:9/', true).hostname).toBe('127.0.0.1');
  });
});

describe(maskWebhookUrl.name, () => {
  it('keeps the origin only', () => {
    expect(maskWebhookUrl('https://hooks.slack.com/services/T0/B0/XYZ?x=1')).toBe('https://hooks.slack.com/…');
    expect(maskWebhookUrl('http://10.0.0.5:8080/')).toBe('http://10.0.0.5:8080');
  });
});

describe('publicLookup', () => {
  it('refuses a name that resolves to a private address', async () => {
    const error = await new Promise<Error | null>((resolve) => publicLookup('localhost', { all: true }, (err) => resolve(err)));
    expect(error?.message).toMatch(/localhost resolves to a private or local address/);
  });
});

describe(signWebhook.name, () => {
  const secret = 'whsec_test_secret_0123456789';
  const body = '{"type":"alert.fired"}';

  it('signs timestamp and body with HMAC-SHA256, as the README shows', async () => {
    const { createHmac } = await import('node:crypto');
    expect(signWebhook(secret, 1_700_000_000, body)).toBe(
      `sha256=${createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex')}`,
    );
  });

  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = Date.now();
    const timestamp = Math.floor(now / 1000);
    const signature = signWebhook(secret, timestamp, body);
    expect(verifyWebhook(secret, String(timestamp), body, signature, 300, now)).toBe(true);
    expect(verifyWebhook(secret, String(timestamp), body.replace('fired', 'resolved'), signature, 300, now)).toBe(false);
    expect(verifyWebhook(`${secret}x`, String(timestamp), body, signature, 300, now)).toBe(false);
    expect(verifyWebhook(secret, String(timestamp - 600), body, signWebhook(secret, timestamp - 600, body), 300, now)).toBe(false);
  });
});

describe("the README's verification snippet", () => {
  it('accepts a call Lumen signed and refuses a tampered one', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
    const snippet = /\n(function verifyLumenWebhook[\s\S]*?\n\})\n```/.exec(readme)![1]!;
    const crypto = await import('node:crypto');
    const verify = new Function('createHmac', 'timingSafeEqual', `${snippet}; return verifyLumenWebhook;`)(
      crypto.createHmac,
      crypto.timingSafeEqual,
    ) as (secret: string, headers: Record<string, string>, rawBody: string) => boolean;
    const secret = 'whsec_readme_example_secret';
    const body = '{"type":"test","deliveryId":"d-1"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'x-lumen-timestamp': String(timestamp), 'x-lumen-signature': signWebhook(secret, timestamp, body) };
    expect(verify(secret, headers, body)).toBe(true);
    expect(verify(secret, headers, body.replace('d-1', 'd-2'))).toBe(false);
    expect(verify(secret, { ...headers, 'x-lumen-timestamp': String(timestamp - 3600) }, body)).toBe(false);
  });
});

describe(backoffMs.name, () => {
  const options = { backoffBaseMs: 10_000, backoffMaxMs: 600_000 };

  it('doubles the wait after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((attempt) => backoffMs(attempt, options, () => 0))).toEqual([
      10_000, 20_000, 40_000, 80_000, 600_000, 600_000, 600_000,
    ]);
  });

  it('adds at most 10 % jitter', () => {
    expect(backoffMs(1, options, () => 0.999)).toBeLessThanOrEqual(11_000);
  });
});
