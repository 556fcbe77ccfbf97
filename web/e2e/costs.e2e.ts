import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { createKey, signIn, unique } from './support/session';

describe('costs', () => {
  let browser: Browser;
  const row = (page: Page, text: string) => page.locator('[data-test=cost-row]', { hasText: text });

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates, edits and deletes a price, checking the input as the server does and showing what it refuses', async () => {
    const provider = unique('acme-ai');
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/costs');
    await page.locator('[data-test=cost-table]').waitFor();

    await page.click('[data-test=add-price]');
    const editor = page.locator('[data-test=cost-editor]');
    await page.fill('[data-test=inputPricePerMillion]', '1,5');
    await page.fill('[data-test=outputPricePerMillion]', '2000000');
    await page.click('[data-test=save-price]');
    const fieldError = (field: string) =>
      editor
        .locator('.field', { has: page.locator(`[data-test=${field}]`) })
        .locator('.field__error')
        .textContent();
    expect(await fieldError('provider')).toBe('Required.');
    expect(await fieldError('model')).toBe('Required.');
    expect(await fieldError('inputPricePerMillion')).toBe('A number such as 2.50, with at most 10 decimals.');
    expect(await fieldError('outputPricePerMillion')).toBe('Between 0 and 1,000,000.');
    await page.click('[data-test=match-pattern]');
    await page.fill('[data-test=model-pattern]', 'acme-(large');
    expect(await fieldError('model-pattern')).toContain('Not a valid regular expression');
    await screenshot(page, 'cost-editor');

    await page.fill('[data-test=provider]', provider);
    await page.click('[data-test=match-model]');
    await page.fill('[data-test=model]', 'acme-large');
    await page.fill('[data-test=inputPricePerMillion]', '0.0000012345');
    await page.fill('[data-test=outputPricePerMillion]', '12.5');
    await page.click('[data-test=save-price]');
    await page.locator('[data-test=saved-notice]').waitFor();
    // Every digit of the price survives: it is a decimal string from the form to the screen.
    await expect.poll(() => row(page, provider).textContent()).toContain('$0.0000012345');
    expect(await row(page, provider).textContent()).toContain('$12.50');

    // The same provider, model and start again: the server refuses it and the form says why.
    await page.click('[data-test=add-price]');
    await page.fill('[data-test=provider]', provider);
    await page.fill('[data-test=model]', 'acme-large');
    await page.fill('[data-test=inputPricePerMillion]', '1');
    await page.fill('[data-test=outputPricePerMillion]', '2');
    await page.click('[data-test=save-price]');
    await expect.poll(() => page.textContent('[data-test=form-error]')).toContain('already exists');
    await page.click('[data-test=close-panel]');

    await row(page, provider).locator('[data-test=edit-price]').click();
    expect(await page.inputValue('[data-test=inputPricePerMillion]')).toBe('0.0000012345');
    await page.fill('[data-test=outputPricePerMillion]', '15');
    await page.fill('[data-test=cachedInputPricePerMillion]', '0.5');
    await page.click('[data-test=save-price]');
    await expect.poll(() => row(page, provider).textContent()).toContain('$15.00');
    expect(await row(page, provider).textContent()).toContain('$0.50');

    await row(page, provider).locator('[data-test=delete-price]').click();
    await page.locator('[data-test=confirm-dialog]').getByText(provider).waitFor();
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await expect.poll(() => row(page, provider).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('re-prices stored logs after a price change, after a dry run that says how many would change', async () => {
    const provider = unique('late-priced');
    const logs = Array.from({ length: 4 }, (_, i) => ({
      appId: 'e2e-costs',
      provider,
      model: 'lp-1',
      inputTokens: 1_000_000,
      outputTokens: 0,
      timestamp: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
    }));
    await gql('mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }', { logs });
    await gql('mutation($input: CostConfigInput!) { createCostConfig(input: $input) { id } }', {
      input: { provider, model: 'lp-1', inputPricePerMillion: '3', outputPricePerMillion: '4' },
    });

    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/costs');
    const effective = page.locator('[data-test=effective-row][data-source=CONFIG]', { hasText: provider });
    await expect.poll(() => effective.count()).toBe(1);
    await effective.locator('[data-test=override]').click();
    await expect.poll(() => page.locator('[data-test=cost-editor] [data-test=inputPricePerMillion]').inputValue()).toBe('3');
    await page.keyboard.press('Escape');
    const panel = page.locator('[data-test=recompute]');
    await panel.locator('[data-test=range-24h]').click();
    await panel.locator('[data-test=filter-provider]').fill(provider);
    await panel.locator('[data-test=filter-provider]').press('Enter');
    await panel.locator('[data-test=recompute-preview]').click();
    await expect.poll(() => panel.locator('[data-test=recompute-dry-run]').textContent()).toContain('4 of 4 logs would change.');
    expect(await panel.locator('[data-test=recompute-dry-run]').textContent()).toContain('after re-pricing');
    const before = await gql<{ logs: { nodes: Array<{ costSource: string }> } }>(
      'query($provider: String) { logs(filter: { provider: $provider }) { nodes { costSource } } }',
      { provider },
    );
    expect(before.logs.nodes.map((log) => log.costSource)).toEqual(['UNPRICED', 'UNPRICED', 'UNPRICED', 'UNPRICED']);
    await panel.locator('[data-test=recompute-run]').click();
    await expect.poll(() => panel.locator('[data-test=recompute-result]').textContent()).toBe('Examined 4 logs; 4 changed.');
    await screenshot(page, 'costs');

    const stored = await gql<{ logs: { nodes: Array<{ cost: string; costSource: string }> } }>(
      'query($provider: String) { logs(filter: { provider: $provider }) { nodes { cost costSource } } }',
      { provider },
    );
    expect(stored.logs.nodes).toEqual(Array.from({ length: 4 }, () => ({ cost: '3', costSource: 'CONFIG' })));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a READ key the cost table without the means to change it', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/costs', await createKey('READ'));
    await page.locator('[data-test=cost-table]').waitFor();
    expect(await page.locator('[data-test=cost-row]', { hasText: 'qwen-max' }).count()).toBe(1);
    expect(await page.locator('[data-test=read-only]').isVisible()).toBe(true);
    expect(
      await page.locator('[data-test=add-price], [data-test=edit-price], [data-test=delete-price], [data-test=recompute]').count(),
    ).toBe(0);
    await screenshot(page, 'costs-read-only');
    expect(errors).toEqual([]);
    await context.close();
  });
});
