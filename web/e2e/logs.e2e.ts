import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { signIn, unique } from './support/session';

const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted rejected { field message } } }';
// Only the detailed log's response holds this, in another case.
const SEARCHED = 'Repeats One Sentence';

describe('logs explorer', () => {
  let browser: Browser;
  const app = unique('e2e-logs');
  const provider = unique('house');
  const traceId = unique('trace');
  const sessionId = unique('session');
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const rowCount = (page: Page) => page.locator('[data-test=log-row]').count();

  beforeAll(async () => {
    browser = await launchBrowser();
    await gql('mutation($input: CostConfigInput!) { createCostConfig(input: $input) { id } }', {
      input: {
        provider,
        model: 'house-model',
        inputPricePerMillion: '2.5',
        outputPricePerMillion: '10',
        cachedInputPricePerMillion: '1.25',
      },
    });
    const ordinary = Array.from({ length: 55 }, (_, i) => ({
      appId: app,
      provider: 'openai',
      model: 'gpt-4o',
      userId: 'ada',
      timestamp: minutesAgo(2 + i),
      inputTokens: 500,
      outputTokens: 80,
      latencyMs: 700 + i,
    }));
    const failed = Array.from({ length: 3 }, (_, i) => ({
      appId: app,
      provider: 'openai',
      model: 'gpt-4o-mini',
      timestamp: minutesAgo(70 + i),
      latencyMs: 120,
      errorType: 'rate_limit_exceeded',
      errorMessage: 'Rate limit reached on tokens per min.',
    }));
    const detailed = {
      appId: app,
      provider,
      model: 'house-model',
      userId: 'grace',
      sessionId,
      traceId,
      operation: 'chat',
      timestamp: minutesAgo(1),
      prompt: `Summarise this document:\n${'All work and no play makes Jack a dull boy. '.repeat(900)}`,
      response: 'The document repeats one sentence about Jack.',
      inputTokens: 1200,
      cachedInputTokens: 800,
      outputTokens: 300,
      latencyMs: 2345,
      timeToFirstTokenMs: 456,
      metadata: { region: 'eu-west-1', feature: { name: 'search', version: 3 } },
      tags: ['beta', 'e2e'],
    };
    const old = { appId: app, provider: 'openai', model: 'old-model', timestamp: minutesAgo(3 * 24 * 60), latencyMs: 300 };
    const result = await gql<{ ingestLogs: { accepted: number } }>(INGEST, { logs: [...ordinary, ...failed, detailed, old] });
    expect(result.ingestLogs.accepted).toBe(60);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('filters by app, status, model and time range, keeps the filters in the URL, and pages with "load more"', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/logs?appId=${app}`);
    await expect.poll(() => rowCount(page)).toBe(50);
    expect(await page.inputValue('[data-test=filter-appId]')).toBe(app);
    await page.click('[data-test=load-more]');
    await expect.poll(() => rowCount(page)).toBe(59);
    await expect.poll(() => page.textContent('[data-test=row-count]')).toBe('Showing 59 logs');
    await screenshot(page, 'logs');

    await page.selectOption('[data-test=filter-status]', 'ERROR');
    await page.waitForURL(/status=ERROR/);
    await expect.poll(() => rowCount(page)).toBe(3);
    expect(await page.locator('[data-test=log-row] .badge--error').count()).toBe(3);
    await page.reload();
    await expect.poll(() => rowCount(page)).toBe(3);
    expect(await page.inputValue('[data-test=filter-status]')).toBe('ERROR');
    await screenshot(page, 'logs-filtered');

    await page.selectOption('[data-test=filter-status]', '');
    await page.fill('[data-test=filter-model]', 'old-model');
    await page.press('[data-test=filter-model]', 'Enter');
    await page.waitForURL(/model=old-model/);
    await page.locator('[data-test=empty]').waitFor();
    expect(await page.textContent('[data-test=empty]')).toContain('No logs match these filters');
    await screenshot(page, 'logs-empty');
    await page.click('[data-test=range-7d]');
    await page.waitForURL(/range=7d/);
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(await page.textContent('[data-test=range-label]')).toContain('Last 7 days');

    await page.click('[data-test=clear-filters]');
    await page.waitForURL((url) => !url.search.includes('appId'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sorts by a column from its header, slowest first then fastest, keeps the order in the URL and exports in it', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/logs?appId=${app}&range=24h`);
    await page.locator('[data-test=log-row]').first().waitFor();
    const latencies = () =>
      page.locator('[data-test=log-row] td:nth-child(5)').evaluateAll((cells) =>
        cells.map((cell) => {
          const text = cell.textContent!.replace(/\s/g, '');
          return text.endsWith('ms') ? Number(text.replace(/[^\d.]/g, '')) : Number(text.replace(/[^\d.]/g, '')) * 1000;
        }),
      );
    const header = page.locator('th', { has: page.locator('[data-test=sort-latency]') });
    expect(await header.getAttribute('aria-sort')).toBe('none');

    await page.click('[data-test=sort-latency]');
    await page.waitForURL(/sort=LATENCY_DESC/);
    await expect.poll(async () => (await latencies())[0]).toBe(2350);
    const down = await latencies();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    // "Load more" continues in the same order.
    await page.click('[data-test=load-more]');
    await expect.poll(() => rowCount(page)).toBe(59);
    const all = await latencies();
    expect(all).toEqual([...all].sort((a, b) => b - a));

    await page.click('[data-test=sort-latency]');
    await page.waitForURL(/sort=LATENCY_ASC/);
    await expect.poll(async () => (await latencies())[0]).toBe(120);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-ndjson]')]);
    const exported = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { latencyMs: number }).latencyMs);
    expect(exported).toEqual([...exported].sort((a, b) => a - b));
    expect(exported).toHaveLength(59);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('searches prompts and responses and highlights the match under each row', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/logs?appId=${app}`);
    await expect.poll(() => rowCount(page)).toBe(50);
    await page.fill('[data-test=filter-search]', SEARCHED);
    await page.press('[data-test=filter-search]', 'Enter');
    await page.waitForURL(/search=/);
    await expect.poll(() => rowCount(page)).toBe(1);
    expect((await page.textContent('[data-test=log-match] mark'))?.toLowerCase()).toBe(SEARCHED.toLowerCase());
    await screenshot(page, 'logs-search');

    // The export carries the same filter: the one log that matched, with its response.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-ndjson]')]);
    const exported = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(exported).toHaveLength(1);
    expect(JSON.parse(exported[0]!).response).toContain('repeats one sentence');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a log in a drawer with its content, tokens, timing, pricing, metadata and ids, and shares it by URL', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/logs?traceId=${traceId}`);
    await expect.poll(() => rowCount(page)).toBe(1);
    await page.click('[data-test=log-row]');
    await page.waitForURL(/[?&]log=/);
    const drawer = page.locator('[data-test=side-panel]');
    await drawer.locator('[data-test=log-facts]').waitFor();

    expect(await drawer.locator('[data-test=log-prompt] [data-test=truncated]').count()).toBe(1);
    expect(await drawer.locator('[data-test=log-response] [data-test=truncated]').count()).toBe(0);
    expect(await drawer.locator('[data-test=log-response]').textContent()).toContain('The document repeats one sentence about Jack.');
    const facts = await drawer.locator('[data-test=log-facts]').textContent();
    expect(facts).toContain('1,200');
    expect(facts).toContain('800 from cache');
    expect(facts).toContain('2.35 sec');
    expect(facts).toContain('first token after 456 ms');
    expect(await drawer.locator('[data-test=log-cost]').textContent()).toMatch(/\$0\.005\s*Cost table\s*USD/);
    const metadata = await drawer.locator('[data-test=log-metadata]').textContent();
    expect(metadata).toContain('"region": "eu-west-1"');
    expect(metadata).toContain('beta');
    const ids = await drawer.locator('[data-test=log-ids]').textContent();
    expect(ids).toContain(traceId);
    expect(ids).toContain(sessionId);
    await screenshot(page, 'log-drawer', { fullPage: false });

    // The URL names the open log: a reload (or a colleague) sees the same drawer.
    await page.reload();
    await drawer.locator('[data-test=log-facts]').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.search.includes('log='));
    await expect.poll(() => drawer.count()).toBe(0);

    await page.click('[data-test=log-row]');
    await drawer.locator('[data-test=show-sessionId]').click();
    await page.waitForURL(new RegExp(`sessionId=${sessionId}`));
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
