import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gql } from './support/api';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { createKey, signIn, unique } from './support/session';

const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';

interface Received {
  headers: IncomingHttpHeaders;
  body: { type: string; alert?: { status: string }; rule?: { name: string } };
}

/** A webhook receiver on 127.0.0.1 that answers 200 and keeps what it was sent. */
function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(body) as Received['body'] });
      response.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }),
    ),
  );
}

/** Calls of an app, `errors` of them failed, spread over the minute before `minutesAgo`. */
function calls(app: string, count: number, errors: number, minutesAgo: number) {
  return Array.from({ length: count }, (_, i) => ({
    appId: app,
    provider: 'openai',
    model: 'gpt-4o',
    timestamp: new Date(Date.now() - minutesAgo * 60_000 - i * 1000).toISOString(),
    latencyMs: 800,
    ...(i < errors ? { errorType: 'server_error', errorMessage: 'The server had an error while processing your request.' } : {}),
  }));
}

const badge = (page: Page) => page.locator('[data-test=nav-alerts] [data-test=nav-badge]');

describe('alerts', () => {
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await browser?.close();
    receiver?.server.close();
  });

  it('writes a rule with a preview against history and a tested webhook; a breach raises a live toast and badge on any page, without a reload', async () => {
    const app = unique('e2e-alert');
    const name = `${app} errors`;
    // An hour ago the app failed on 6 of 10 calls: the preview should find that breach.
    await gql(INGEST, { logs: calls(app, 10, 6, 60) });
    const { viewer } = await gql<{ viewer: { name: string } }>('{ viewer { name } }');
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/alerts/rules');
    await page.locator('[data-test=rule-table]').waitFor();

    await page.click('[data-test=add-rule]');
    await page.click('[data-test=save-rule]');
    expect(await page.locator('[data-test=rule-editor] [role=alert]').allTextContents()).toEqual(['Required.', 'Required.']);
    await page.fill('[data-test=rule-name-input]', name);
    await page.fill('[data-test=rule-threshold]', '20');
    // Over a day the preview measures every few minutes; a ten-minute window cannot fall between two.
    await page.fill('[data-test=rule-window]', '10');
    await page.fill('[data-test=rule-min-samples]', '5');
    await page.fill('[data-test=rule-app]', app);
    await expect
      .poll(() => page.textContent('[data-test=chart-preview]'), { timeout: 15_000 })
      .toContain('Would have fired once in the last 24 hours.');
    await expect.poll(() => page.locator('[data-test=chart-preview] svg path').count()).toBeGreaterThan(2);
    expect(await page.textContent('[data-test=preview-firings]')).toContain('60%');
    // The instant that breached is drawn as a dot in the error colour.
    const breachingDots = await page.locator('[data-test=chart-preview] svg').evaluate((svg) => {
      const error = getComputedStyle(document.documentElement).getPropertyValue('--error').trim().toLowerCase();
      return [...svg.querySelectorAll('path')].filter(
        (path) => path.getAttribute('fill')?.toLowerCase() === error && /^matrix\([1-9]/.test(path.getAttribute('transform') ?? ''),
      ).length;
    });
    expect(breachingDots).toBeGreaterThan(0);

    await page.fill('[data-test=rule-webhook]', receiver.url);
    await page.click('[data-test=test-webhook]');
    await expect.poll(() => page.textContent('[data-test=webhook-result]')).toMatch(/answered 200 in \d+ ms/);
    expect(receiver.received[0]!.headers['x-lumen-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    await page.selectOption('[data-test=rule-severity]', 'CRITICAL');
    await screenshot(page, 'alert-rule-editor', { fullPage: false });
    await page.click('[data-test=save-rule]');
    await expect.poll(() => page.textContent('[data-test=saved-notice]')).toContain(name);
    const row = page.locator('[data-test=rule-row]', { hasText: name });
    expect(await row.locator('[data-test=rule-condition]').textContent()).toBe('Error rate > 20% over 10 minutes');
    await page.locator('[data-test=side-panel]').waitFor({ state: 'detached' });
    await screenshot(page, 'alert-rules');

    // Move to another page inside the app, then break the app: the toast must come to this page.
    await page.click('[data-test=nav-dashboard]');
    await page.waitForURL(/\/dashboard/);
    await gql(INGEST, { logs: calls(app, 10, 8, 0) });
    const toast = page.locator('[data-test=alert-toast]', { hasText: name });
    await toast.waitFor({ timeout: 30_000 });
    expect(await toast.locator('[data-test=toast-reading]').textContent()).toContain('Error rate was 80%');
    expect(await toast.locator('[data-test=severity]').textContent()).toBe('Critical');
    await expect.poll(() => badge(page).textContent()).toMatch(/^\d+$/);
    const firingBefore = Number(await badge(page).textContent());
    await toast.evaluate((element) => Promise.all(element.getAnimations().map((animation) => animation.finished)));
    await screenshot(page, 'alert-toast', { fullPage: false });
    await expect.poll(() => receiver.received.some((call) => call.body.type === 'alert.fired' && call.body.rule?.name === name)).toBe(true);

    await toast.locator('[data-test=toast-view]').click();
    await page.waitForURL(/\/alerts\?alert=/);
    const item = page.locator('[data-test=alert-item-highlighted]');
    await expect.poll(() => item.locator('[data-test=alert-status]').textContent()).toBe('Firing');
    expect(await item.locator('[data-test=alert-rule]').textContent()).toBe(name);
    expect(await item.locator('[data-test=alert-reading]').textContent()).toContain('Error rate was 80%');
    await expect.poll(() => item.locator('[data-test=delivery]').count()).toBeGreaterThan(0);
    await screenshot(page, 'alert-inbox');

    await item.locator('[data-test=acknowledge]').click();
    await expect.poll(() => item.locator('[data-test=alert-status]').textContent()).toBe('Acknowledged');
    expect(await item.locator('[data-test=timeline-acknowledged]').textContent()).toContain(`Acknowledged by ${viewer.name}`);
    await expect.poll(async () => ((await badge(page).count()) === 0 ? 0 : Number(await badge(page).textContent()))).toBe(firingBefore - 1);

    // In the view of all alerts, the resolved one stays in the list.
    await page.click('[data-test=view-all]');
    await page.waitForURL(/view=all/);
    await item.waitFor();
    await item.locator('[data-test=resolve]').click();
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await expect.poll(() => item.locator('[data-test=alert-status]').textContent()).toBe('Resolved');
    expect(await item.locator('[data-test=timeline-resolved]').textContent()).toContain(`Resolved by ${viewer.name}`);
    // Still breaching, the rule fires again at the next evaluation, and the inbox shows it as it comes.
    await expect.poll(() => page.locator('[data-test=alert-item]', { hasText: name }).count(), { timeout: 30_000 }).toBe(1);

    await page.click('[data-test=tab-rules]');
    await row.locator('[data-test=delete-rule]').click();
    await page.click('[data-test=confirm-dialog] [data-test=confirm]');
    await expect.poll(() => row.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('writes a budget rule for a custom period, previews its forecast, and lists it in words', async () => {
    const app = unique('e2e-budget');
    const name = `${app} sprint budget`;
    const day = 86_400_000;
    // A period that started three days ago (UTC) and lasts a week; $30 spent two days ago: a forecast near $60.
    const start = new Date(Math.floor(Date.now() / day) * day - 3 * day).toISOString().slice(0, 10);
    await gql(INGEST, { logs: [{ ...calls(app, 1, 0, 2 * 24 * 60)[0], cost: '30' }] });
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/alerts/rules');
    await page.locator('[data-test=rule-table]').waitFor();
    await page.click('[data-test=add-rule]');
    await page.fill('[data-test=rule-name-input]', name);
    await page.selectOption('[data-test=rule-kind]', 'BUDGET');
    expect(await page.locator('[data-test=rule-metric] option').allTextContents()).toEqual(['Cost']);
    await page.selectOption('[data-test=rule-budget-period]', 'CUSTOM');
    await page.fill('[data-test=rule-period-start]', start);
    await page.fill('[data-test=rule-period-days]', '7');
    await page.fill('[data-test=rule-threshold]', '50');
    await page.fill('[data-test=rule-min-samples]', '1');
    await page.fill('[data-test=rule-app]', app);
    await expect
      .poll(() => page.textContent('[data-test=chart-preview]'), { timeout: 15_000 })
      .toContain('Would have fired once in the last 24 hours.');
    await page.click('[data-test=save-rule]');
    await expect.poll(() => page.textContent('[data-test=saved-notice]')).toContain(name);
    const row = page.locator('[data-test=rule-row]', { hasText: name });
    expect(await row.locator('[data-test=rule-condition]').textContent()).toBe('Cost of the period > $50.00 budget (forecast and spend)');
    const { alertRules } = await gql<{ alertRules: { id: string; name: string; kind: string; periodDays: number }[] }>(
      '{ alertRules { id name kind periodDays } }',
    );
    const saved = alertRules.find((rule) => rule.name === name)!;
    expect(saved).toMatchObject({ kind: 'BUDGET', periodDays: 7 });
    // Not left to fire during the other tests.
    await gql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: saved.id });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lets a READ key see rules and alerts, preview a rule, and change nothing', async () => {
    const app = unique('e2e-alert-read');
    const { createAlertRule } = await gql<{ createAlertRule: { id: string } }>(
      'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }',
      {
        input: {
          name: `${app} errors`,
          metric: 'ERROR_RATE',
          operator: 'GT',
          threshold: '0.2',
          windowMinutes: 10,
          appId: app,
          minSamples: 5,
        },
      },
    );
    await gql(INGEST, { logs: calls(app, 10, 8, 0) });
    const firing = () =>
      gql<{ alertRecords: { nodes: unknown[] } }>('query($rule: ID) { alertRecords(filter: { ruleId: $rule }) { nodes { id } } }', {
        rule: createAlertRule.id,
      });
    await expect.poll(async () => (await firing()).alertRecords.nodes.length, { timeout: 30_000 }).toBe(1);

    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/alerts/rules', await createKey('READ'));
    await page.locator('[data-test=rule-table]').waitFor();
    expect(await page.locator('[data-test=read-only]').isVisible()).toBe(true);
    expect(await page.locator('[data-test=add-rule]').count()).toBe(0);
    expect(await page.locator('[data-test=edit-rule]').count()).toBe(0);
    await page.click('[data-test=tab-inbox]');
    await page.waitForURL(/\/alerts$/);
    const item = page.locator('[data-test=alert-item]', { hasText: app });
    await expect.poll(() => item.locator('[data-test=alert-status]').textContent()).toBe('Firing');
    expect(await page.locator('[data-test=acknowledge], [data-test=resolve]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
    await gql('mutation($id: ID!) { deleteAlertRule(id: $id) }', { id: createAlertRule.id });
  });

  it('adds a Slack channel, sends it a test message with one click, and silences a rule from the web app', async () => {
    const name = unique('e2e-slack');
    const before = receiver.received.length;
    const { page, context, errors } = await openPage(browser);
    await signIn(page, '/alerts/channels');
    await page.click('[data-test=add-channel]');
    await page.click('[data-test=save-channel]');
    expect(await page.locator('[data-test=channel-editor] [role=alert]').allTextContents()).toEqual(['Required.', 'Required.']);
    await page.fill('[data-test=channel-name]', name);
    await page.selectOption('[data-test=channel-kind]', 'SLACK');
    await page.fill('[data-test=channel-url]', receiver.url);
    await page.click('[data-test=save-channel]');
    await page.locator('[data-test=channel-saved]').waitFor();
    const row = page.locator('[data-test=channel-row]', { hasText: name });
    await row.locator('[data-test=test-channel]').click();
    await expect.poll(() => row.locator('[data-test=channel-test-result]').textContent()).toMatch(/^Delivered: the receiver answered 200/);
    await expect.poll(() => receiver.received.length).toBe(before + 1);
    const message = receiver.received.at(-1)!.body as unknown as { text: string; blocks: { type: string }[] };
    expect(message.text).toBe('A test message from Lumen: this channel receives alert notifications.');
    expect(message.blocks[0]!.type).toBe('header');
    await screenshot(page, 'alert-channels');

    await page.click('[data-test=tab-silences]');
    await page.waitForURL(/\/alerts\/silences$/);
    await page.selectOption('[data-test=silence-matcher]', 'app');
    await page.fill('[data-test=silence-app]', name);
    await page.fill('[data-test=silence-duration]', '30');
    await page.fill('[data-test=silence-reason]', 'Deploying the chat service');
    await page.click('[data-test=create-silence]');
    const silence = page.locator('[data-test=silence-row]', { hasText: name });
    await expect.poll(() => silence.textContent()).toContain('Deploying the chat service');
    expect(await silence.textContent()).toContain('Active');
    await silence.locator('[data-test=expire-silence]').click();
    await expect.poll(() => silence.textContent()).toContain('Ended');
    expect(errors).toEqual([]);
    await context.close();
  });
});
