import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { createKey, signIn, unique } from './support/session';

const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';
const CHARTS = ['latency', 'streaming', 'latency-histogram', 'outcome', 'errors', 'tokens', 'cost', 'models', 'apps'];

/**
 * The figure of a summary card as a number ("2,382" → 2382); `whenEmpty` while the page says the range
 * has no calls, NaN while neither is shown. Read in one step and without waiting, so that a poll retries
 * rather than waits on a card that a newer answer has just taken away.
 */
function figure(page: Page, name: string, whenEmpty = Number.NaN): Promise<number> {
  return page.evaluate(
    ([name, whenEmpty]) => {
      if (document.querySelector('[data-test=empty]')) return whenEmpty;
      const text = document.querySelector(`[data-test=summary-${name}] [data-test=summary-value]`)?.textContent;
      return text == null ? Number.NaN : Number(text.replace(/[^\d.]/g, ''));
    },
    [name, whenEmpty] as const,
  );
}
/** The calls of the last 24 hours, as the API counts them now. */
async function requestsOfLastDay(): Promise<number> {
  const to = new Date();
  const range = { from: new Date(to.getTime() - 86_400_000).toISOString(), to: to.toISOString() };
  const { metricsSummary } = await gql<{ metricsSummary: { requestCount: number } }>(
    'query($range: TimeRangeInput!) { metricsSummary(range: $range) { requestCount } }',
    { range },
  );
  return metricsSummary.requestCount;
}
/** The text an SVG chart draws (axis labels, names, values). */
const chartText = (page: Page, name: string) => page.locator(`[data-test=chart-${name}] svg`).evaluate((svg) => svg.textContent ?? '');

describe('dashboard', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('is where a reader lands, with the figures and every chart of the demo traffic', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/', await createKey('READ'));
    await page.waitForURL(/\/dashboard$/);
    await page.locator('[data-test=dashboard-summary]').waitFor();
    expect(await figure(page, 'requests')).toBeGreaterThan(100);
    expect(await figure(page, 'success')).toBeGreaterThan(80);
    for (const chart of CHARTS)
      await expect.poll(() => page.locator(`[data-test=chart-${chart}] svg path`).count(), { message: chart }).toBeGreaterThan(1);
    expect(await chartText(page, 'latency')).toMatch(/\d+ (ms|sec)/);
    expect(await chartText(page, 'latency')).toContain('P95');
    expect(await chartText(page, 'models')).toContain('gpt-4o-mini');
    expect(await chartText(page, 'apps')).toContain('support-chat');
    expect(await chartText(page, 'cost')).toContain('$');
    // The latency bars are labelled by their lower bounds, from 0 ms up.
    expect(await chartText(page, 'latency-histogram')).toMatch(/0 ms[\s\S]*100 ms/);
    // The demo streams most calls: time to first token and output speed have figures and a chart.
    expect(await figure(page, 'ttft')).toBeGreaterThan(0);
    expect(await figure(page, 'throughput')).toBeGreaterThan(0);
    expect(await chartText(page, 'streaming')).toContain('TTFT P95');
    await screenshot(page, 'dashboard');

    // The charts follow the window: narrower, and each chart takes the whole width.
    const width = () => page.locator('[data-test=chart-outcome] svg').evaluate((svg) => svg.getBoundingClientRect().width);
    const wide = await width();
    await page.setViewportSize({ width: 900, height: 900 });
    await expect.poll(width).toBeGreaterThan(wide);
    await page.setViewportSize({ width: 700, height: 900 });
    const narrow = await width();
    await page.setViewportSize({ width: 600, height: 900 });
    await expect.poll(width).toBeLessThan(narrow);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('changes its numbers with the filters and the range, keeps them in the URL, and ranks models by another metric', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/dashboard');
    await page.locator('[data-test=dashboard-summary]').waitFor();
    const all = await figure(page, 'requests');
    expect(await chartText(page, 'models')).toContain('gpt-4o-mini');

    await page.fill('[data-test=filter-appId]', 'sql-copilot');
    await page.press('[data-test=filter-appId]', 'Enter');
    await page.waitForURL(/appId=sql-copilot/);
    await expect.poll(() => figure(page, 'requests')).toBeLessThan(all);
    // The SQL copilot alone calls deepseek-reasoner, and never gpt-4o-mini.
    await expect.poll(() => chartText(page, 'models')).toContain('deepseek-reasoner');
    expect(await chartText(page, 'models')).not.toContain('gpt-4o-mini');
    expect(await chartText(page, 'apps')).not.toContain('support-chat');
    const oneApp = await figure(page, 'requests');

    await page.click('[data-test=range-1h]');
    await page.waitForURL(/range=1h/);
    await expect.poll(() => figure(page, 'requests', 0)).toBeLessThan(oneApp);
    await page.reload();
    await page.locator('[data-test=chart-latency]').waitFor();
    expect(await page.inputValue('[data-test=filter-appId]')).toBe('sql-copilot');
    expect(await page.getAttribute('[data-test=range-1h]', 'aria-pressed')).toBe('true');

    // The last 24 hours move on while the test runs: a call from the start of the demo's history can
    // leave the window between two readings. So the figure shown is checked against the API's count
    // of the last 24 hours taken before and after it (no call is sent meanwhile).
    const before = await requestsOfLastDay();
    await page.click('[data-test=clear-filters]');
    await page.click('[data-test=range-24h]');
    await expect
      .poll(async () => {
        const shown = await figure(page, 'requests');
        const after = await requestsOfLastDay();
        return { shown, between: shown >= after && shown <= before };
      })
      .toEqual({ shown: expect.any(Number), between: true });
    const byRequests = await chartText(page, 'models');
    await page.click('[data-test=models-by-p95]');
    await expect.poll(() => chartText(page, 'models')).not.toBe(byRequests);
    expect(await chartText(page, 'models')).toMatch(/\d+(\.\d+)? sec/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the Logs page on the model of a clicked bar', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/dashboard?range=7d');
    const chart = page.locator('[data-test=chart-models] svg');
    await chart.waitFor();
    await page.waitForLoadState('networkidle');
    // The bars are the widest filled rectangles-as-paths of the chart; the top one is the busiest model.
    const bars = await chart.locator('path').evaluateAll((paths) =>
      paths
        .map((path, index) => ({ index, box: path.getBoundingClientRect(), fill: path.getAttribute('fill') }))
        .filter(({ box, fill }) => fill && fill !== 'none' && box.height >= 8 && box.height <= 40 && box.width >= 4)
        .sort((a, b) => a.box.top - b.box.top)
        .map(({ index }) => index),
    );
    expect(bars.length).toBeGreaterThan(0);
    await chart.locator('path').nth(bars[0]!).click();
    await page.waitForURL(/\/logs\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('model')).toBeTruthy();
    expect(url.searchParams.get('range')).toBe('7d');
    await page.locator('[data-test=log-row]').first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the failed calls of a clicked bar of the errors chart, and of the error part of the outcome ring', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/dashboard?range=7d');
    const chart = page.locator('[data-test=chart-errors] svg');
    await chart.waitFor();
    await page.waitForLoadState('networkidle');
    expect(await chartText(page, 'errors')).toMatch(/\d/);
    // The error bars are the filled paths of the chart in the error colour; click the tallest.
    const bars = await chart.locator('path').evaluateAll((paths) =>
      paths
        .map((path, index) => ({ index, box: path.getBoundingClientRect(), fill: path.getAttribute('fill') }))
        .filter(
          ({ box, fill }) => fill && fill !== 'none' && fill !== 'transparent' && box.height >= 2 && box.width >= 2 && box.width <= 30,
        )
        .sort((a, b) => b.box.height - a.box.height)
        .map(({ index }) => index),
    );
    expect(bars.length).toBeGreaterThan(0);
    await chart.locator('path').nth(bars[0]!).click();
    await page.waitForURL(/\/logs\?/);
    let url = new URL(page.url());
    expect(url.searchParams.get('status')).toBe('ERROR');
    expect(Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!)).toBeLessThanOrEqual(86_400_000);
    await page.locator('[data-test=log-row]').first().waitFor();
    expect(await page.locator('[data-test=log-row]').allTextContents()).not.toContainEqual(expect.stringMatching(/Success/));

    await page.goto(page.url().replace(/\/logs\?.*$/, '/dashboard?range=7d'));
    const ring = page.locator('[data-test=chart-outcome] svg');
    await ring.waitFor();
    await page.waitForLoadState('networkidle');
    const errorColour = await page.evaluate(() => (window.matchMedia('(prefers-color-scheme: dark)').matches ? '#f47174' : '#b42318'));
    await ring.locator(`path[fill="${errorColour}"]`).first().click();
    await page.waitForURL(/\/logs\?/);
    url = new URL(page.url());
    expect(url.searchParams.get('status')).toBe('ERROR');
    expect(url.searchParams.get('range')).toBe('7d');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a budget rule’s spend, forecast and budget on the cost card', async () => {
    const { createAlertRule } = await gql<{ createAlertRule: { id: string } }>(
      `mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`,
      {
        input: {
          name: unique('Budget'),
          kind: 'BUDGET',
          metric: 'COST',
          operator: 'GT',
          threshold: '1000000',
          windowMinutes: 60,
          enabled: true,
        },
      },
    );
    try {
      const { page, context, errors } = await openPage(browser);
      await signIn(page, '/', await createKey('READ'));
      await page.locator('[data-test=summary-cost]').waitFor();
      expect(await page.locator('[data-test=summary-cost]').textContent()).toMatch(/of the \$1,000,000\.00 budget this period/);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await gql(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: createAlertRule.id });
    }
  });

  it('asks for time buckets in the viewer’s timezone', async () => {
    const { page, context, errors } = await openPage(browser, { timezoneId: 'Australia/Adelaide' });
    const timezones: string[] = [];
    page.on('request', (request) => {
      const body = request.postData();
      if (body?.includes('metricsTimeSeries')) timezones.push(JSON.parse(body).variables.timezone);
    });
    await signIn(page, '/dashboard?range=7d');
    await page.locator('[data-test=dashboard-summary]').waitFor();
    expect(timezones).toContain('Australia/Adelaide');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('in live mode, shows new calls as they arrive, without a reload', async () => {
    const app = unique('e2e-live');
    // Without animations the screenshot shows the charts as they end up, not halfway through a change.
    const { page, context, errors } = await openPage(browser, { reducedMotion: 'reduce' });
    await signIn(page, `/dashboard?range=1h&appId=${app}`);
    await page.locator('[data-test=empty]').waitFor();
    await page.click('[data-test=live-toggle]');
    await page.waitForURL(/live=1/);
    await expect.poll(() => page.textContent('[data-test=live-status]'), { timeout: 15_000 }).toContain('Updated');
    // The pushed summary fills the cards: refetches after a push leave the summary out.
    const refetches: boolean[] = [];
    page.on('request', (request) => {
      const body = request.postData();
      if (body?.includes('query Dashboard')) refetches.push(JSON.parse(body).variables.withSummary);
    });
    // A reload would lose this mark.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    const calls = (count: number, latencyMs: number) =>
      Array.from({ length: count }, () => ({
        appId: app,
        provider: 'openai',
        model: 'gpt-4o',
        inputTokens: 1000,
        outputTokens: 100,
        latencyMs,
      }));
    await gql(INGEST, { logs: calls(5, 800) });
    await expect.poll(() => figure(page, 'requests', 0), { timeout: 20_000 }).toBe(5);
    await gql(INGEST, { logs: [...calls(2, 900), { ...calls(1, 50)[0], status: 'ERROR', errorType: 'rate_limit_exceeded' }] });
    await expect.poll(() => figure(page, 'requests'), { timeout: 20_000 }).toBe(8);
    await expect.poll(() => page.textContent('[data-test=summary-requests]')).toContain('one error');
    expect(await chartText(page, 'apps')).toContain(app.slice(0, 12));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(refetches.length).toBeGreaterThan(0);
    expect(refetches.filter((withSummary) => withSummary !== false)).toEqual([]);
    await screenshot(page, 'dashboard-live', { fullPage: false });

    await page.click('[data-test=live-toggle]');
    await page.waitForURL((url) => !url.search.includes('live=1'));
    expect(await page.locator('[data-test=live-status]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads well in dark mode and in Simplified Chinese', async () => {
    const { page, context, errors } = await openPage(browser, { colorScheme: 'dark', locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(page, '/dashboard?range=7d');
    await page.locator('[data-test=dashboard-summary]').waitFor();
    await expect.poll(() => page.textContent('h1')).toBe('仪表盘');
    const text = await page.locator('body').innerText();
    for (const chinese of ['请求数', '成功率', '响应时间', 'Token 用量', '费用趋势', '模型对比', '应用对比', '实时'])
      expect(text).toContain(chinese);
    for (const english of ['Requests', 'Success rate', 'Response time', 'Model comparison', 'Live']) expect(text).not.toContain(english);
    await expect.poll(() => chartText(page, 'latency')).toMatch(/秒/);
    expect(await chartText(page, 'latency')).toMatch(/\d+月\d+日/);
    expect(await page.locator('[data-test=chart-outcome] svg path[fill="#3ccb8a"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-dark-zh-CN');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the dashboard before any call', () => {
  it('offers a quick start: a curl call, an SDK snippet and a button that creates an ingest key', async () => {
    const browser = await launchBrowser();
    const { page, context, errors } = await openPage(browser);
    // A range before any data: the dashboard is empty as on a new install.
    await signIn(page, '/dashboard?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z');
    await page.locator('[data-test=quick-start]').waitFor();
    expect(await page.textContent('[data-test=quick-start-curl]')).toContain('ingestLogs');
    expect(await page.textContent('[data-test=quick-start-sdk]')).toContain("import { Lumen } from '@lumen/sdk'");
    await page.click('[data-test=quick-start-key]');
    const key = (await page.locator('[data-test=quick-start-created-key]').textContent())?.trim() ?? '';
    expect(key.length).toBeGreaterThan(20);
    // The snippets now carry the new key, ready to paste.
    expect(await page.textContent('[data-test=quick-start-curl]')).toContain(`Bearer ${key}`);
    expect(await page.textContent('[data-test=quick-start-sdk]')).toContain(`apiKey: '${key}'`);
    await page.click('[data-test=quick-start-keys]');
    await page.waitForURL(/\/keys$/);
    await page.getByText('Quick start').first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
    await browser.close();
  });
});
