import type { Browser, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, openPage } from './support/browser';
import { signIn } from './support/session';

describe('when the server cannot be reached', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says the live feed is disconnected, shows a failed range change in place, and refetches once the server is back', async () => {
    const { page, context } = await openPage(browser);
    // The network between the browser and the server, cut and restored by the test.
    let down = false;
    const sockets = new Set<WebSocketRoute>();
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (down) {
        void socket.close({ code: 1001, reason: 'unreachable' });
        return;
      }
      sockets.add(socket);
      socket.connectToServer();
    });
    await page.route(/\/graphql$/, (route) => (down ? route.abort('connectionrefused') : route.continue()));

    await signIn(page, '/dashboard?range=1h&live=1');
    const status = page.locator('[data-test=live-status]');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/^Updated/);

    down = true;
    for (const socket of sockets) await socket.close({ code: 1001, reason: 'unreachable' });
    sockets.clear();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('Disconnected, reconnecting…');

    // A new range that cannot load shows the failure, not the last hour's figures under its name.
    await page.click('[data-test=range-24h]');
    await page.locator('[data-test=error]').waitFor();
    expect(await page.locator('[data-test=summary-requests]').count()).toBe(0);

    down = false;
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Updated/);
    await page.locator('[data-test=summary-requests]').waitFor();
    await context.close();
  });
});
