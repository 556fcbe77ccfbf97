import type { Page } from 'playwright-core';

/** Every page of the app an admin opens, with what shows that it has loaded its data. */
export const PAGES = [
  { name: 'dashboard', path: '/dashboard', ready: '[data-test=summary-requests]' },
  { name: 'logs', path: '/logs', ready: '[data-test=log-row]' },
  { name: 'traces', path: '/traces', ready: 'h1' },
  { name: 'sessions', path: '/sessions', ready: 'h1' },
  { name: 'users', path: '/users', ready: 'h1' },
  { name: 'costs', path: '/costs', ready: 'table' },
  { name: 'alerts', path: '/alerts', ready: 'h1' },
  { name: 'rules', path: '/alerts/rules', ready: 'h1' },
  { name: 'channels', path: '/alerts/channels', ready: 'h1' },
  { name: 'silences', path: '/alerts/silences', ready: 'h1' },
  { name: 'feedback', path: '/feedback', ready: 'h1' },
  { name: 'keys', path: '/keys', ready: 'table' },
] as const;

/** Opens a page of the signed-in app and waits until its data has arrived. */
export async function openAppPage(page: Page, url: string, entry: (typeof PAGES)[number]): Promise<void> {
  await page.goto(`${url}${entry.path}`);
  await page.locator(entry.ready).first().waitFor();
  await page.waitForLoadState('networkidle');
}
