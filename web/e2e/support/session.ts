import type { Page } from 'playwright-core';
import { inject } from 'vitest';

import { gql } from './api';

/** Signs in through a sign-in link (as the first-run link does) and waits for the page. */
export async function signIn(page: Page, path = '/logs', key = inject('adminKey')): Promise<void> {
  await page.goto(`${inject('lumenUrl')}/sign-in?next=${encodeURIComponent(path)}#key=${encodeURIComponent(key)}`);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** A new key with a role, made through the API by the admin key. */
export async function createKey(role: 'INGEST' | 'READ' | 'ADMIN', name = `e2e ${role.toLowerCase()} ${Date.now()}`): Promise<string> {
  const data = await gql<{ createApiKey: { key: string } }>(
    'mutation($name: String!, $role: ApiKeyRole!) { createApiKey(name: $name, role: $role) { key } }',
    { name, role },
  );
  return data.createApiKey.key;
}

/** A name no other test uses, so assertions hold whatever else the shared server holds. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}
