import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { launchBrowser, openPage } from './support/browser';
import { signIn } from './support/session';

/** Every page renders under the production content security policy without a single violation. */
describe('content security policy', () => {
  let browser: Browser;
  const url = inject('lumenUrl');

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every page with no violation of the policy', async () => {
    const { page, context, errors } = await openPage(browser);
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const first = await page.goto(`${url}/sign-in`);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    await signIn(page, '/dashboard');
    for (const path of ['/dashboard', '/logs', '/costs', '/alerts', '/alerts/rules', '/feedback', '/keys']) {
      await page.goto(`${url}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(violations).toEqual([]);
    expect(errors.filter((error) => /Content Security Policy/i.test(error))).toEqual([]);
    await context.close();
  });

  it('serves no source maps', async () => {
    const index = await (await fetch(`${url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)![1]!;
    expect(await (await fetch(`${url}${script}`)).text()).not.toContain('sourceMappingURL');
    expect((await fetch(`${url}${script}.map`)).status).toBe(404);
  });
});
