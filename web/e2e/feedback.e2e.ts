import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { COMPLAINTS, FAILING_APP } from '../../packages/demo/src/feedback.js';
import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { createKey, signIn, unique } from './support/session';

const SUBMIT = 'mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }';
const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';

/** The figure of a summary card, as a number ("1,234" → 1234, "30.3%" → 30.3). */
async function figure(page: Page, name: string): Promise<number> {
  const text = (await page.locator(`[data-test=summary-${name}] [data-test=summary-value]`).textContent()) ?? '';
  return Number(text.replace(/[^\d.]/g, ''));
}
/** The text an SVG chart draws (axis labels and names). */
const chartText = (page: Page, name: string) => page.locator(`[data-test=chart-${name}] svg`).evaluate((svg) => svg.textContent ?? '');
const items = (page: Page) => page.locator('[data-test=feedback-item]');
/** The demo's apps that draw feedback. */
const DEMO_APPS = [FAILING_APP, 'support-chat', 'code-assistant', 'zh-customer-service'];

describe('feedback', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows figures and charts of the demo’s feedback, and the filters in the URL change the numbers', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/feedback');
    await page.locator('[data-test=feedback-summary]').waitFor();
    const total = await figure(page, 'total');
    expect(total).toBeGreaterThan(10);
    await expect.poll(() => page.locator('[data-test=chart-trend] svg path').count()).toBeGreaterThan(2);
    // Which complaints the last 24 hours of demo feedback hold depends on the hour the demo ran; any of them will do.
    await expect.poll(() => chartText(page, 'byCategory')).toMatch(new RegExp(COMPLAINTS.join('|')));
    expect(await chartText(page, 'byApp')).toContain('support-chat');
    expect(await chartText(page, 'byModel')).toMatch(/gpt-4o|claude|qwen|deepseek/);
    await expect.poll(() => items(page).count()).toBeGreaterThan(0);
    await screenshot(page, 'feedback');

    await page.selectOption('[data-test=filter-rating]', 'NEGATIVE');
    await page.waitForURL(/rating=NEGATIVE/);
    await expect.poll(() => figure(page, 'negative')).toBe(100);
    const negative = await figure(page, 'total');
    expect(negative).toBeLessThan(total);
    await expect.poll(() => chartText(page, 'byCategory')).not.toContain('helpful');
    expect(await page.locator('[data-test=feedback-item] [data-test=rating]').allTextContents()).not.toContain('Positive');
    const negativeApps = await chartText(page, 'byApp');

    // An app with complaints in the last 24 hours: the failing app at most hours, but which calls the
    // window holds depends on when the demo ran and the test reads it.
    const complaining = DEMO_APPS.filter((app) => negativeApps.includes(app));
    const app = complaining.includes(FAILING_APP) ? FAILING_APP : complaining[0]!;
    await page.fill('[data-test=filter-appId]', app);
    await page.press('[data-test=filter-appId]', 'Enter');
    await page.waitForURL(new RegExp(`appId=${app}`));
    const others = complaining.filter((other) => other !== app);
    if (others.length > 0) await expect.poll(() => figure(page, 'total')).toBeLessThan(negative);
    for (const other of others) await expect.poll(() => chartText(page, 'byApp')).not.toContain(other);

    // The export carries the same filter: as many rows as the figures count, all negative, all of that app.
    const filtered = await figure(page, 'total');
    expect(filtered).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-ndjson]')]);
    const file = readFileSync((await download.path())!, 'utf8').trim();
    expect(file, 'the exported file').not.toBe('');
    const exported = file.split('\n').map((line) => JSON.parse(line) as { rating: string; appId: string });
    expect(exported).toHaveLength(filtered);
    expect(new Set(exported.map((row) => `${row.rating} ${row.appId}`))).toEqual(new Set([`NEGATIVE ${app}`]));
    expect(download.suggestedFilename()).toBe('lumen-feedback.ndjson');

    await page.reload();
    await page.locator('[data-test=feedback-summary]').waitFor();
    expect(await page.inputValue('[data-test=filter-rating]')).toBe('NEGATIVE');
    expect(await page.inputValue('[data-test=filter-appId]')).toBe(app);
    await page.click('[data-test=clear-filters]');
    await expect.poll(() => figure(page, 'total')).toBe(total);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('resolves feedback with a note and reopens it, showing who did it and when', async () => {
    const app = unique('e2e-fb-resolve');
    await gql(SUBMIT, {
      input: { appId: app, rating: 'NEGATIVE', score: 1, category: 'wrong answer', comment: 'It says the order shipped, but it has not.' },
    });
    const { viewer } = await gql<{ viewer: { name: string } }>('{ viewer { name } }');
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/feedback?appId=${app}`);
    await expect.poll(() => items(page).count()).toBe(1);
    expect(await figure(page, 'total')).toBe(1);

    await page.click('[data-test=resolve]');
    await page.fill('[data-test=resolve-note]', 'Order status is now read from the warehouse API.');
    await screenshot(page, 'feedback-resolve', { fullPage: false });
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    const item = items(page).first();
    await expect.poll(() => item.locator('[data-test=status]').textContent()).toBe('Resolved');
    expect(await item.locator('[data-test=resolution]').textContent()).toContain(`Resolved by ${viewer.name}`);
    expect(await item.locator('[data-test=resolution-note]').textContent()).toContain('Order status is now read from the warehouse API.');
    await expect.poll(() => page.textContent('[data-test=summary-total]')).toContain('0 open · 1 resolved');
    const stored = await gql<{ feedback: { nodes: Array<{ status: string; resolvedBy: string; resolutionNote: string }> } }>(
      'query($app: String) { feedback(filter: { appId: $app }) { nodes { status resolvedBy resolutionNote } } }',
      { app },
    );
    expect(stored.feedback.nodes).toEqual([
      { status: 'RESOLVED', resolvedBy: viewer.name, resolutionNote: 'Order status is now read from the warehouse API.' },
    ]);

    await item.locator('[data-test=reopen]').click();
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await expect.poll(() => item.locator('[data-test=status]').textContent()).toBe('Open');
    expect(await item.locator('[data-test=resolution]').textContent()).toContain(`Reopened by ${viewer.name}`);
    expect(await item.locator('[data-test=resolution-note]').textContent()).toContain('Last resolution note');
    await expect.poll(() => page.textContent('[data-test=summary-total]')).toContain('1 open · 0 resolved');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('takes feedback by hand, links it to its log, and shows it in the log drawer, where more can be added', async () => {
    const app = unique('e2e-fb-submit');
    const eventId = unique('event');
    await gql(INGEST, {
      logs: [
        {
          eventId,
          appId: app,
          provider: 'openai',
          model: 'gpt-4o',
          userId: 'grace',
          prompt: 'Where is my order?',
          response: 'It shipped.',
          latencyMs: 900,
        },
      ],
    });
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/feedback?appId=${app}`);
    await page.locator('[data-test=empty]').waitFor();

    await page.click('[data-test=add-feedback]');
    await page.click('[data-test=send-feedback]');
    expect(await page.locator('[data-test=feedback-form] [role=alert]').allTextContents()).toEqual([
      'Name the call: its event id, its trace, or at least its app.',
      'Choose thumbs up or thumbs down.',
    ]);
    await page.fill('[data-test=logEventId]', eventId);
    await page.click('[data-test=rate-NEGATIVE]');
    await page.selectOption('[data-test=feedback-form] [data-test=score]', '2');
    await page.fill('[data-test=feedback-form] [data-test=category]', 'wrong answer');
    await page.fill('[data-test=feedback-form] [data-test=comment]', 'It has not shipped yet.');
    await screenshot(page, 'feedback-submit', { fullPage: false });
    await page.click('[data-test=send-feedback]');
    await expect.poll(() => page.textContent('[data-test=sent-notice]')).toContain('linked to its log');
    await expect.poll(() => items(page).count()).toBe(1);
    const item = items(page).first();
    expect(await item.textContent()).toContain('It has not shipped yet.');
    expect(await item.textContent()).toContain('openai / gpt-4o');
    expect(await item.textContent()).toContain('User grace');

    // The log opens in a new tab (the link says so with its icon), leaving the feedback list in place.
    const [logTab] = await Promise.all([context.waitForEvent('page'), item.locator('[data-test=view-log]').click()]);
    await logTab.waitForURL(/\/logs\?log=/);
    expect(page.url()).toContain('/feedback');
    const drawer = logTab.locator('[data-test=side-panel]');
    const feedback = drawer.locator('[data-test=log-feedback-item]');
    await expect.poll(() => feedback.count()).toBe(1);
    expect(await feedback.first().textContent()).toContain('wrong answer');

    await drawer.locator('[data-test=add-log-feedback]').click();
    await drawer.locator('[data-test=rate-POSITIVE]').click();
    await drawer.locator('[data-test=comment]').fill('Fixed after the warehouse sync.');
    await drawer.locator('[data-test=send-feedback]').click();
    await expect.poll(() => feedback.count()).toBe(2);
    expect(await feedback.first().textContent()).toContain('Fixed after the warehouse sync.');
    await screenshot(logTab, 'log-drawer-feedback', { fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws its charts in the dark theme’s colours when the system is dark', async () => {
    const { page, context, errors } = await openPage(browser, { colorScheme: 'dark' });
    await signIn(page, '/feedback');
    const bars = page.locator('[data-test=chart-byApp] svg path[fill]');
    await expect.poll(() => bars.evaluateAll((paths) => paths.map((path) => path.getAttribute('fill')))).toContain('#3ccb8a');
    expect(await page.locator('[data-test=chart-byApp] svg text').first().getAttribute('fill')).toBe('#e6e8ef');
    await screenshot(page, 'feedback-dark', { fullPage: false });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a READ key read feedback but neither resolve nor add it', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/feedback', await createKey('READ'));
    await expect.poll(() => items(page).count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test=read-only]').isVisible()).toBe(true);
    expect(await page.locator('[data-test=resolve], [data-test=reopen], [data-test=add-feedback]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
