import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { seriousViolations } from './support/axe';
import { launchBrowser, openPage } from './support/browser';
import { openAppPage, PAGES } from './support/pages';
import { signIn } from './support/session';

describe('accessibility', () => {
  let browser: Browser;
  const url = inject('lumenUrl');

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const layouts = [
    { layout: 'desktop', viewport: { width: 1440, height: 900 } },
    { layout: 'phone', viewport: { width: 390, height: 844 } },
  ] as const;
  for (const { layout, viewport } of layouts) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`finds no serious or critical axe violation on any page, ${layout} in ${colorScheme} mode`, async () => {
        const { page, context } = await openPage(browser, { colorScheme, viewport, reducedMotion: 'reduce', bypassCSP: true });
        await signIn(page, '/dashboard');
        const found: Record<string, string[]> = {};
        for (const entry of PAGES) {
          await openAppPage(page, url, entry);
          found[entry.name] = await seriousViolations(page);
        }
        const expected: Record<string, string[]> = Object.fromEntries(PAGES.map((entry) => [entry.name, []]));
        if (layout === 'phone') {
          // The navigation menu, opened over the last page.
          await page.click('[data-test=menu]');
          await page.locator('[data-test=menu][aria-expanded=true]').waitFor();
          found['menu open'] = await seriousViolations(page);
          expected['menu open'] = [];
        }
        console.info(
          `axe serious+critical (${layout}, ${colorScheme}): ${JSON.stringify(Object.fromEntries(Object.entries(found).map(([name, list]) => [name, list.length])))}`,
        );
        expect(found).toEqual(expected);
        await context.close();
      });
    }
  }

  it('keeps Tab inside an open panel and gives focus back to the row that opened it on Escape', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/logs');
    const row = page.locator('[data-test=log-row]').first();
    await row.waitFor();
    await row.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('[data-test=side-panel]');
    await panel.waitFor();
    for (let step = 0; step < 40; step += 1) {
      await page.keyboard.press('Tab');
      expect(await panel.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await panel.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await row.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers a skip link to the page’s content as the first stop of Tab', async () => {
    const { page, context } = await openPage(browser);
    await signIn(page, '/logs');
    await page.locator('[data-test=log-row]').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await context.close();
  });
});
