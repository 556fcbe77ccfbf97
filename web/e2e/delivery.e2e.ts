import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, openPage } from './support/browser';
import { signIn } from './support/session';

describe('delivering the web app', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends the dashboard’s JavaScript compressed, under 350 KB, without source maps, with messages that still fill in', async () => {
    const { page, context, errors } = await openPage(browser);
    const scripts: { url: string; encoding: string | null; bytes: number; sourceMap: boolean }[] = [];
    page.on('requestfinished', async (request) => {
      if (request.resourceType() !== 'script') return;
      const response = await request.response();
      if (!response) return;
      const headers = await response.allHeaders();
      const body = await response.body();
      scripts.push({
        url: request.url(),
        encoding: headers['content-encoding'] ?? null,
        bytes: (await request.sizes()).responseBodySize,
        sourceMap: body.toString().includes('sourceMappingURL') || 'sourcemap' in headers,
      });
    });
    await signIn(page, '/dashboard');
    // A message with a placeholder, compiled at build time, filled in at run time.
    await expect.poll(() => page.textContent('[data-test=summary-tokens]')).toMatch(/\d\S* in · \d\S* out/);
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      // The build leaves files under 1 KB as they are: compressing them saves less than it costs.
      if (script.bytes >= 1024) expect(script.encoding, script.url).toBe('br');
      expect(script.sourceMap, script.url).toBe(false);
    }
    const transferred = scripts.reduce((sum, script) => sum + script.bytes, 0);
    console.info(`dashboard JavaScript transferred: ${transferred} bytes in ${scripts.length} files`);
    expect(transferred).toBeLessThanOrEqual(350 * 1024);
    expect(errors).toEqual([]);
    await context.close();
  });
});
