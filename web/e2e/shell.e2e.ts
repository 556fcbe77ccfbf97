import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';

describe('web app shell', () => {
  let browser: Browser;
  const url = inject('lumenUrl');
  const adminKey = inject('adminKey');

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends a visitor without a key to sign-in, and refuses a wrong key', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${url}/logs`);
    await page.waitForURL(/\/sign-in/);
    await page.fill('[data-test=api-key]', 'lmn_wrong');
    await page.click('[data-test=sign-in]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('unknown or revoked');
    await screenshot(page, 'sign-in');
    // The refused key is reported by the browser as a failed request (401); nothing else may fail.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  });

  it('signs in with the first-run link on the dashboard, lists the latest logs, and signs out', async () => {
    await gql('mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }', {
      logs: [
        { appId: 'e2e-chat', provider: 'openai', model: 'gpt-4o', inputTokens: 1000, outputTokens: 200, latencyMs: 640, userId: 'ada' },
        {
          appId: 'e2e-chat',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          inputTokens: 500,
          outputTokens: 50,
          latencyMs: 910,
          status: 'ERROR',
          errorType: 'overloaded',
        },
      ],
    });
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${url}/sign-in#key=${encodeURIComponent(adminKey)}`);
    await page.waitForURL(/\/dashboard$/);
    await page.click('[data-test=nav-logs]');
    const table = page.locator('[data-test=logs-table]');
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    const text = await table.textContent();
    expect(text).toContain('gpt-4o');
    expect(text).toContain('claude-sonnet-4-5');
    expect(text).toContain('Error');
    expect(page.url()).not.toContain('key=');
    await screenshot(page, 'shell-signed-in');
    expect(errors).toEqual([]);

    await page.click('[data-test=sign-out]');
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${url}/logs`);
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });

  it('switches to Simplified Chinese and remembers it', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${url}/sign-in#key=${encodeURIComponent(adminKey)}`);
    await page.waitForURL(/\/dashboard$/);
    await page.selectOption('[data-test=locale]', 'zh-CN');
    await expect.poll(() => page.textContent('h1')).toBe('仪表盘');
    await page.reload();
    await expect.poll(() => page.textContent('h1')).toBe('仪表盘');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await screenshot(page, 'shell-zh-CN');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follows the browser language on a first visit', async () => {
    const { page, context } = await openPage(browser, { locale: 'zh-CN' });
    await page.goto(`${url}/sign-in`);
    await expect.poll(() => page.textContent('h1')).toContain('登录 Lumen');
    await context.close();
  });
});
