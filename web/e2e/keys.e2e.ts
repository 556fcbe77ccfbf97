import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { signIn, unique } from './support/session';

describe('API keys', () => {
  let browser: Browser;
  const url = inject('lumenUrl');

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates a key and shows it once, with a copy button and a warning; the key works', async () => {
    const name = unique('reporting');
    const { page, context, errors } = await openPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    await signIn(page, '/keys');
    await page.locator('[data-test=keys-table]').waitFor();

    await page.click('[data-test=create-key]');
    expect(await page.textContent('[data-test=key-form] .field__error')).toBe('Give the key a name.');
    await page.fill('[data-test=key-name]', name);
    await page.selectOption('[data-test=key-role]', 'READ');
    await page.click('[data-test=create-key]');
    const notice = page.locator('[data-test=created-key]');
    await notice.waitFor();
    const key = await page.inputValue('[data-test=created-key-value]');
    expect(key).toMatch(/^lmn_/);
    expect(await notice.textContent()).toContain('This is the only time Lumen shows this key');
    await notice.locator('[data-test=copy]').click();
    await expect.poll(() => notice.locator('[data-test=copy]').textContent()).toContain('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await screenshot(page, 'keys-created');

    expect(await gql<{ viewer: { name: string; role: string } }>('{ viewer { name role } }', {}, key)).toEqual({
      viewer: { name, role: 'READ' },
    });
    const listed = page.locator('[data-test=key-row]', { hasText: name });
    await expect.poll(() => listed.textContent()).toContain(key.slice(0, 8));

    await page.click('[data-test=dismiss-key]');
    expect(await notice.count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await page.locator('[data-test=keys-table]').waitFor();
    expect(await page.content()).not.toContain(key);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('revokes a key after confirmation, and the key is refused from then on', async () => {
    const name = unique('old-ingest');
    const created = await gql<{ createApiKey: { key: string } }>(
      'mutation($name: String!) { createApiKey(name: $name, role: INGEST) { key } }',
      { name },
    );
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/keys');
    const listed = page.locator('[data-test=key-row]', { hasText: name });
    await listed.locator('[data-test=revoke-key]').click();
    const dialog = page.locator('[data-test=confirm-dialog]');
    await dialog.getByText(name).waitFor();
    await dialog.locator('[data-test=cancel]').click();
    expect(await listed.locator('[data-test=key-revoked]').count()).toBe(0);

    await listed.locator('[data-test=revoke-key]').click();
    await dialog.locator('[data-test=confirm]').click();
    await listed.locator('[data-test=key-revoked]').waitFor();
    expect(await listed.locator('[data-test=revoke-key]').count()).toBe(0);
    await screenshot(page, 'keys');

    const refused = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${created.createApiKey.key}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(refused.status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});
