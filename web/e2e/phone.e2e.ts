import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { launchBrowser, openPage, screenshot } from './support/browser';
import { openAppPage, PAGES } from './support/pages';
import { signIn } from './support/session';

const PHONE = { width: 390, height: 844 };

/** The outermost elements reaching past the window's right edge, named by tag, class and test id. */
function widestElements(): string[] {
  const past = (element: Element) => element.getBoundingClientRect().right > window.innerWidth + 0.5;
  return [...document.body.querySelectorAll('*')]
    .filter(
      (element) => past(element) && !(element.parentElement && past(element.parentElement) && element.parentElement !== document.body),
    )
    .slice(0, 5)
    .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}[${element.getAttribute('data-test') ?? ''}]`);
}

describe('on a phone (390 × 844)', () => {
  let browser: Browser;
  const url = inject('lumenUrl');

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('scrolls no page sideways', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: PHONE });
    await signIn(page, '/dashboard');
    const overflow: Record<string, number> = {};
    const culprits: Record<string, string[]> = {};
    for (const entry of PAGES) {
      await openAppPage(page, url, entry);
      overflow[entry.name] = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow[entry.name]! > 0) culprits[entry.name] = await page.evaluate(widestElements);
      await screenshot(page, `phone-${entry.name}`);
    }
    console.info(`overflow at 390 px: ${JSON.stringify(overflow)}`);
    expect(culprits).toEqual({});
    expect(overflow).toEqual(Object.fromEntries(PAGES.map((entry) => [entry.name, 0])));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the rows of every table as cards of labelled values, with nothing scrolled sideways inside them', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: PHONE });
    await signIn(page, '/dashboard');
    const tables: Record<string, { cards: boolean; labelled: boolean; sideways: number }> = {};
    for (const entry of PAGES) {
      await openAppPage(page, url, entry);
      const found = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLTableElement>('main table')]
          .filter((table) => table.tBodies[0]?.rows.length)
          .map((table) => {
            const row = table.tBodies[0]!.rows[0]!;
            const cell = row.cells[0]!;
            const wrap = table.closest('.table-wrap') ?? table;
            return {
              cards: getComputedStyle(row).display === 'block' && getComputedStyle(cell).display === 'flex',
              labelled: Boolean(cell.dataset.label) && getComputedStyle(cell, '::before').content.includes(cell.dataset.label!),
              sideways: wrap.scrollWidth - wrap.clientWidth,
            };
          }),
      );
      found.forEach((table, index) => (tables[`${entry.name}#${index}`] = table));
    }
    console.info(`tables as cards at 390 px: ${JSON.stringify(tables)}`);
    // Logs, costs (custom and built-in prices) and keys have rows in the shared test data at least.
    expect(Object.keys(tables).length).toBeGreaterThanOrEqual(4);
    for (const [name, table] of Object.entries(tables))
      expect({ name, ...table }).toEqual({ name, cards: true, labelled: true, sideways: 0 });
    await screenshot(page, 'phone-keys-cards');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the navigation from a menu button, with every label on one line in Chinese', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: PHONE, locale: 'zh-CN' });
    await signIn(page, '/dashboard');
    const nav = page.locator('nav a');
    await page.locator('[data-test=summary-requests]').waitFor();
    expect(await nav.first().isVisible()).toBe(false);
    await page.click('[data-test=menu]');
    await nav.first().waitFor();
    expect(await page.getAttribute('[data-test=menu]', 'aria-expanded')).toBe('true');
    const heights = await nav.evaluateAll((links) => links.map((link) => link.getBoundingClientRect().height));
    const lineHeight = await nav.first().evaluate((link) => parseFloat(getComputedStyle(link).lineHeight) || 24);
    for (const height of heights) expect(height).toBeLessThan(lineHeight * 2 + 16);
    await screenshot(page, 'phone-menu', { fullPage: false });
    await page.click('[data-test=nav-logs]');
    await page.waitForURL(/\/logs/);
    expect(await nav.first().isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a log’s detail across the whole screen with its close button in view', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: PHONE });
    await signIn(page, '/logs');
    await page.locator('[data-test=log-row]').first().click();
    const panel = page.locator('[data-test=side-panel]');
    await panel.waitFor();
    // The panel slides in; once it rests it starts at the left edge.
    await expect.poll(async () => (await panel.boundingBox())?.x).toBe(0);
    const box = (await panel.boundingBox())!;
    expect(box.width).toBe(PHONE.width);
    const close = (await page.locator('[data-test=close-panel]').boundingBox())!;
    expect(close.x).toBeGreaterThanOrEqual(0);
    expect(close.x + close.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-log-detail', { fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  });
});
