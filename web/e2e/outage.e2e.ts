import type { Browser, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage } from './support/browser';
import { signIn, unique } from './support/session';

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
  it('says so on every page, shows failed loads in place, opens a page asked for meanwhile, and refetches when the server is back', async () => {
    const { page, context } = await openPage(browser);
    // The server cut off entirely: its API, its websocket and the code of pages not yet loaded.
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
    await page.route(/\/(graphql|healthz|assets\/.*)$/, (route) => (down ? route.abort('connectionrefused') : route.continue()));
    const banner = page.locator('[data-test=connection-banner]');

    // A page read through a live query (the keys) refetches on return: a key made meanwhile shows up.
    await signIn(page, '/keys');
    await page.locator('[data-test=key-row]').first().waitFor();
    down = true;
    for (const socket of sockets) await socket.close({ code: 1001, reason: 'unreachable' });
    sockets.clear();
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toContain('The server cannot be reached');
    const name = unique('made-during-outage');
    await gql('mutation($name: String!) { createApiKey(name: $name, role: READ) { key } }', { name });
    down = false;
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('[data-test=key-row]', { hasText: name }).waitFor({ timeout: 20_000 });

    // A paged list (the logs): a filter change that fails shows the failure in place, not old rows.
    await page.click('[data-test=nav-logs]');
    await page.locator('[data-test=log-row]').first().waitFor();
    down = true;
    await page.click('[data-test=range-7d]');
    await page.locator('[data-test=error]').waitFor();
    expect(await page.locator('[data-test=log-row]').count()).toBe(0);
    await banner.waitFor();
    // A page whose code cannot be fetched does not open silently: the banner says it waits.
    const url = page.url();
    await page.click('[data-test=nav-sessions]');
    await expect.poll(() => banner.textContent()).toContain('loads when the connection is back');
    expect(page.url()).toBe(url);

    down = false;
    await page.waitForURL(/\/sessions/, { timeout: 20_000 });
    await banner.waitFor({ state: 'detached' });
    await page.goBack();
    await page.locator('[data-test=log-row]').first().waitFor({ timeout: 20_000 });
    await context.close();
  });
});
