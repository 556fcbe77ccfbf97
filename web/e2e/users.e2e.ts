import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { signIn, unique } from './support/session';

describe('users', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('ranks end users by calls or errors and opens one user’s logs', async () => {
    const busy = unique('user-busy');
    const failing = unique('user-failing');
    const at = (i: number) => new Date(Date.now() - (i + 1) * 60_000).toISOString();
    const logs = [
      ...Array.from({ length: 5 }, (_, i) => ({ appId: 'e2e-users', provider: 'openai', model: 'gpt-4o', userId: busy, timestamp: at(i) })),
      ...Array.from({ length: 2 }, (_, i) => ({
        appId: 'e2e-users',
        provider: 'openai',
        model: 'gpt-4o',
        userId: failing,
        status: 'ERROR',
        errorMessage: 'boom',
        timestamp: at(i),
      })),
    ];
    await gql('mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }', { logs });

    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/users?range=24h');
    const rows = page.locator('[data-test=user-row]');
    await page.locator(`[data-test=user-row][data-user="${busy}"]`).waitFor();
    const order = async () =>
      (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-user')))).filter((id) => id === busy || id === failing);
    expect(await order()).toEqual([busy, failing]);

    await page.click('[data-test=sort-errorRate]');
    await expect.poll(order).toEqual([failing, busy]);
    expect(page.url()).toContain('sort=errorRate');
    await screenshot(page, 'users');

    await page.locator(`[data-test=user-row][data-user="${busy}"] [data-test=user-logs]`).click();
    await page.waitForURL(/\/logs\?/);
    expect(new URL(page.url()).searchParams.get('userId')).toBe(busy);
    await expect.poll(() => page.locator('[data-test=log-row]').count()).toBe(5);
    expect(errors).toEqual([]);
    await context.close();
  });
});
