import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { gql } from './support/api';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage } from './support/browser';
import { openAppPage, PAGES } from './support/pages';
import { signIn, unique } from './support/session';

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
  // After a delete the control that opened the dialog is gone with its row: focus goes to the same control
  // in a neighbouring row (or the heading), never to the page's body.
  const focused = (page: Page) =>
    page.evaluate(() => {
      const active = document.activeElement;
      return {
        test: active?.getAttribute('data-test') ?? active?.tagName ?? null,
        row: active?.closest('tr, li, [data-row]')?.textContent ?? '',
        body: active === document.body || active === null,
      };
    });

  it('moves focus to the next row after a price or a rule is deleted, and keeps it off the body after a key is revoked', async () => {
    const tag = unique('focus');
    for (const suffix of ['a', 'b']) {
      await gql('mutation($input: CostConfigInput!) { createCostConfig(input: $input) { id } }', {
        input: { provider: `${tag}-${suffix}`, model: 'm', inputPricePerMillion: '1', outputPricePerMillion: '2' },
      });
      await gql('mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', {
        input: { name: `${tag} rule ${suffix}`, metric: 'ERROR_RATE', operator: 'GT', threshold: '0.5', windowMinutes: 10 },
      });
      await gql('mutation($name: String!) { createApiKey(name: $name, role: READ) { key } }', { name: `${tag}-key-${suffix}` });
    }
    const { page, context, errors } = await openPage(browser);

    await signIn(page, '/costs');
    const price = page.locator('[data-test=cost-row]', { hasText: `${tag}-a` });
    await price.locator('[data-test=delete-price]').focus();
    await page.keyboard.press('Enter');
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await price.waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toMatchObject({ test: 'delete-price', body: false });
    expect((await focused(page)).row).toContain(`${tag}-b`);

    await page.goto(`${url}/alerts/rules`);
    const rule = page.locator('[data-test=rule-row]', { hasText: `${tag} rule b` });
    await rule.locator('[data-test=delete-rule]').focus();
    await page.keyboard.press('Enter');
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await rule.waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toMatchObject({ test: 'delete-rule', body: false });

    await page.goto(`${url}/keys`);
    const key = page.locator('[data-test=key-row]', { hasText: `${tag}-key-a` });
    await key.locator('[data-test=revoke-key]').focus();
    await page.keyboard.press('Enter');
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await key.locator('[data-test=key-revoked]').waitFor();
    await expect.poll(async () => (await focused(page)).body).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
