import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { launchBrowser, openPage } from './support/browser';
import { openAppPage, PAGES } from './support/pages';
import { signIn } from './support/session';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  nodes: { target: string[]; any: { message: string }[] }[];
}

/** axe-core's serious and critical findings on the page as it stands, as "rule: element" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => ({ target: node.target, any: node.any.map((check) => ({ message: check.message })) })),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${node.any[0]?.message ?? ''})`));
}

describe('accessibility', () => {
  let browser: Browser;
  const url = inject('lumenUrl');

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no serious or critical axe violation on any page, in ${colorScheme} mode`, async () => {
      const { page, context } = await openPage(browser, { colorScheme, reducedMotion: 'reduce', bypassCSP: true });
      await signIn(page, '/dashboard');
      const found: Record<string, string[]> = {};
      for (const entry of PAGES) {
        await openAppPage(page, url, entry);
        found[entry.name] = await seriousViolations(page);
      }
      console.info(
        `axe serious+critical (${colorScheme}): ${JSON.stringify(Object.fromEntries(Object.entries(found).map(([name, list]) => [name, list.length])))}`,
      );
      expect(found).toEqual(Object.fromEntries(PAGES.map((entry) => [entry.name, []])));
      await context.close();
    });
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
