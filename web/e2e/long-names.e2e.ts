import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage } from './support/browser';
import { signIn, unique } from './support/session';

const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';

describe('long names', () => {
  let browser: Browser;
  const app = unique('e2e-long-names-app-with-a-name-long-enough-to-wrap-many-times');
  const model = `m${'odel-with-a-very-long-name-'.repeat(5)}`.slice(0, 128);

  beforeAll(async () => {
    browser = await launchBrowser();
    await gql(INGEST, {
      logs: [
        {
          appId: app,
          provider: 'openai',
          model,
          userId: 'ada',
          timestamp: new Date().toISOString(),
          latencyMs: 420,
          inputTokens: 10,
          outputTokens: 5,
        },
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('cuts a 128-character model name in the row, shows it whole on hover, and keeps the panel’s close button in view', async () => {
    expect(model).toHaveLength(128);
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/logs?appId=${encodeURIComponent(app)}`);
    const row = page.locator('[data-test=log-row]').first();
    await row.waitFor();
    const cell = row.locator('[data-test=log-model]');
    expect(await cell.getAttribute('title')).toBe(`openai / ${model}`);
    expect(await cell.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // Every column still fits in the window beside it.
    const rowRight = await row.evaluate((element) => element.getBoundingClientRect().right);
    expect(rowRight).toBeLessThanOrEqual(1440);
    await row.click();
    const panel = page.locator('[data-test=side-panel]');
    await panel.waitFor();
    await expect.poll(() => panel.locator('h2').textContent()).toBe(model);
    // Once it has slid in, the panel's right edge is the window's (within a subpixel: layout rounds).
    const width = await panel.evaluate((element) => element.getBoundingClientRect().width);
    await expect.poll(async () => Math.abs(((await panel.boundingBox())?.x ?? 0) - (1440 - width))).toBeLessThan(0.5);
    const close = (await page.locator('[data-test=close-panel]').boundingBox())!;
    expect(close.x + close.width).toBeLessThanOrEqual(1440);
    expect(errors).toEqual([]);
    await context.close();
  });
});
