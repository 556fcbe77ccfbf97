import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { launchBrowser, openPage, screenshot } from './support/browser';
import { createKey, signIn } from './support/session';

describe('app layout', () => {
  let browser: Browser;
  const url = inject('lumenUrl');
  const navItems = (page: Page) => page.locator('nav a').evaluateAll((links) => links.map((link) => link.getAttribute('data-test')));

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows an admin every page, the key’s name and role, and the timezone times are shown in', async () => {
    const { page, context, errors } = await openPage(browser, { timezoneId: 'Asia/Shanghai' });
    await signIn(page);
    await expect
      .poll(() => navItems(page))
      .toEqual([
        'nav-dashboard',
        'nav-logs',
        'nav-traces',
        'nav-sessions',
        'nav-users',
        'nav-costs',
        'nav-alerts',
        'nav-feedback',
        'nav-keys',
      ]);
    expect(await page.textContent('[data-test=viewer]')).toContain('Admin');
    expect(await page.textContent('[data-test=timezone]')).toContain('Asia/Shanghai');
    expect(await page.textContent('[data-test=timezone]')).toContain('GMT+8');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a READ key the pages that read, and keeps it out of the admin pages', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/logs', await createKey('READ'));
    await expect
      .poll(() => navItems(page))
      .toEqual(['nav-dashboard', 'nav-logs', 'nav-traces', 'nav-sessions', 'nav-users', 'nav-costs', 'nav-alerts', 'nav-feedback']);
    await page.goto(`${url}/keys`);
    await page.waitForURL(/\/dashboard$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('tells an INGEST key that it can only send data, whatever page it opens', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/costs', await createKey('INGEST'));
    await page.waitForURL(/\/send-data$/);
    expect(await page.textContent('h1')).toBe('This key can only send data');
    expect(await navItems(page)).toEqual([]);
    await page.goto(`${url}/logs`);
    await page.waitForURL(/\/send-data$/);
    await screenshot(page, 'ingest-only');
    await page.click('[data-test=sign-in-again]');
    await page.waitForURL(/\/sign-in/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads well in dark mode', async () => {
    const { page, context, errors } = await openPage(browser, { colorScheme: 'dark' });
    await signIn(page);
    await page.locator('[data-test=log-row]').first().waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(15, 17, 23)');
    await screenshot(page, 'logs-dark');
    expect(errors).toEqual([]);
    await context.close();
  });
});
