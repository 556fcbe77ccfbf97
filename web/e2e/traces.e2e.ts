import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { gql } from './support/api';
import { seriousViolations } from './support/axe';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { createKey, signIn, unique } from './support/session';

/*
 * Spans shaped as Dify's Arize Phoenix tracer builds them: a root named "Dify", a "workflow" or
 * "message" CHAIN span under it, node spans named by node type, the provider as a plugin id, the
 * end user inside the `metadata` JSON string. Each span travels in its own OTLP/HTTP request as
 * it ends, children before their parents, with the headers Dify sends.
 */
type Value = string | number;
// The text of the trace view and of a conversation, including a selected and a failed span.
const TRACE_TEXT = [
  '.waterfall__name',
  '.waterfall__kind',
  '.waterfall__duration',
  '.waterfall__tick',
  '.kind-legend li',
  '[data-test=span-status]',
];
const SESSION_TEXT = [
  '.session-turn__who',
  '.session-turn__text',
  '.session-turn__facts span',
  '[data-test=span-status]',
  '.summary-card__label',
];
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, Value> }[];
  status: { code: number; message?: string };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nanos = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const json = (value: unknown) => JSON.stringify(value);
const attributes = (values: Record<string, Value>) =>
  Object.entries(values).map(([key, value]) => ({ key, value: typeof value === 'number' ? { intValue: value } : { stringValue: value } }));

function difySpan(
  traceId: string,
  name: string,
  parent: string | undefined,
  startMs: number,
  endMs: number,
  values: Record<string, Value>,
  error?: string,
): OtlpSpan {
  return {
    traceId,
    spanId: hex(8),
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind: 1,
    startTimeUnixNano: nanos(startMs),
    endTimeUnixNano: nanos(endMs),
    attributes: attributes(values),
    status: error ? { code: 2, message: error } : { code: 1 },
  };
}

const llmValues = (query: string, answer: string, tokens: [number, number]) => ({
  'openinference.span.kind': 'LLM',
  'llm.provider': 'langgenius/openai/openai',
  'llm.model_name': 'gpt-4o',
  'llm.token_count.prompt': tokens[0],
  'llm.token_count.completion': tokens[1],
  'llm.token_count.total': tokens[0] + tokens[1],
  'llm.input_messages.0.message.role': 'user',
  'llm.input_messages.0.message.content': query,
  'input.value': json({ query }),
  'output.value': json({ text: answer, finish_reason: 'stop' }),
});

/** The lowest contrast ratio between the text of `selector` and the background it sits on. */
function lowestContrast(page: Page, selector: string): Promise<number> {
  return page.$$eval(selector, (elements) => {
    const channels = (css: string) => {
      const srgb = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(css);
      if (srgb) return { rgb: [1, 2, 3].map((i) => Number(srgb[i]) * 255), alpha: srgb[4] ? Number(srgb[4]) : 1 };
      const [r, g, b, a] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return { rgb: [r ?? 0, g ?? 0, b ?? 0], alpha: a ?? 1 };
    };
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const background = (element: Element | null): number[] => {
      for (let node = element; node; node = node.parentElement) {
        const color = channels(getComputedStyle(node).backgroundColor);
        if (color.alpha > 0.5) return color.rgb;
      }
      return [255, 255, 255];
    };
    return Math.min(
      ...elements.map((element) => {
        const [a, b] = [luminance(channels(getComputedStyle(element).color).rgb), luminance(background(element))];
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      }),
    );
  });
}

describe('traces and sessions', () => {
  let browser: Browser;
  let ingestKey: string;
  const app = unique('e2e-dify');
  const conversation = unique('conv');
  const workflowTrace = hex(16);
  const messageTraces = [hex(16), hex(16)];
  const rowCount = (page: Page, test: string) => page.locator(`[data-test=${test}]`).count();

  async function send(span: OtlpSpan) {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: attributes({ 'openinference.project.name': app }) },
          scopeSpans: [{ scope: { name: `arize_phoenix_tracer_${app}` }, spans: [span] }],
        },
      ],
    };
    const response = await fetch(`${inject('lumenUrl')}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', api_key: ingestKey, authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).not.toHaveProperty('partialSuccess.rejectedSpans');
  }

  /** A workflow run: knowledge retrieval → LLM → tool → a code node that fails; the root arrives last. */
  async function sendWorkflow() {
    const t0 = Date.now() - 10 * 60_000;
    // Dify creates the root when it exports the trace, after the run: it starts after its children.
    const root = difySpan(workflowTrace, 'Dify', undefined, t0 + 3400, t0 + 3400, { 'openinference.span.kind': 'CHAIN' });
    const metadata = json({ app_id: 'app-1', user_id: 'end-user-42', workflow_run_id: 'run-7f3a', trace_entity_type: 'workflow' });
    const workflow = difySpan(
      workflowTrace,
      'workflow',
      root.spanId,
      t0,
      t0 + 3300,
      {
        'openinference.span.kind': 'CHAIN',
        'input.value': json({ query: 'Where is order 1042?' }),
        'output.value': json({}),
        metadata,
        'session.id': '',
      },
      'Node code run failed: ValueError: order status unknown',
    );
    const node = (name: string, kind: string, from: number, to: number, extra: Record<string, Value> = {}, error?: string) =>
      difySpan(
        workflowTrace,
        name,
        workflow.spanId,
        t0 + from,
        t0 + to,
        {
          'openinference.span.kind': kind,
          'input.value': json({ query: 'Where is order 1042?' }),
          'output.value': json({ ok: !error }),
          metadata: json({ node_type: name, status: error ? 'failed' : 'succeeded' }),
          'session.id': '',
          ...extra,
        },
        error,
      );
    const children = [
      node('knowledge-retrieval', 'RETRIEVER', 0, 400),
      node('llm', 'LLM', 500, 2600, llmValues('Where is order 1042?', 'Order 1042 left the warehouse today.', [320, 24])),
      node('tool', 'TOOL', 2700, 3000),
      node('code', 'CHAIN', 3100, 3200, {}, 'ValueError: order status unknown'),
    ];
    for (const span of [...children, workflow, root]) await send(span);
  }

  /** One message of a chat app in the conversation: root, "message" CHAIN span and its "llm" child. */
  async function sendMessage(traceId: string, query: string, answer: string, minutesAgo: number) {
    const start = Date.now() - minutesAgo * 60_000;
    const root = difySpan(traceId, 'Dify', undefined, start + 2000, start + 2000, { 'openinference.span.kind': 'CHAIN' });
    const metadata = json({ conversation_id: conversation, end_user_id: 'visitor-7', trace_entity_type: 'message' });
    const common = { metadata, 'session.id': conversation };
    const message = difySpan(traceId, 'message', root.spanId, start, start + 1800, {
      'openinference.span.kind': 'CHAIN',
      'input.value': query,
      'output.value': answer,
      ...common,
    });
    const llm = difySpan(traceId, 'llm', message.spanId, start + 100, start + 1700, { ...llmValues(query, answer, [210, 18]), ...common });
    for (const span of [llm, message, root]) await send(span);
  }

  /** The trace in which Dify names the conversation: a root of its own, then generate_conversation_name with the name as a JSON string. */
  async function sendConversationName(traceId: string, query: string, name: string, minutesAgo: number) {
    const start = Date.now() - minutesAgo * 60_000;
    const root = difySpan(traceId, 'Dify', undefined, start + 1000, start + 1000, { 'openinference.span.kind': 'CHAIN' });
    const naming = difySpan(traceId, 'generate_conversation_name', root.spanId, start, start + 900, {
      'openinference.span.kind': 'CHAIN',
      'input.value': json(query),
      'output.value': json(name),
      metadata: json({ conversation_id: conversation, trace_entity_type: 'generate_name' }),
      'session.id': conversation,
    });
    for (const span of [naming, root]) await send(span);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    ingestKey = await createKey('INGEST');
    await sendWorkflow();
    await sendMessage(messageTraces[0]!, 'Where is my order?', 'It ships today.', 30);
    await sendConversationName(hex(16), 'Where is my order?', 'Order delivery status', 29.9);
    await sendMessage(messageTraces[1]!, 'And the invoice?', 'It is in your account.', 20);
    await gql('mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }', {
      input: { traceId: messageTraces[1], rating: 'NEGATIVE', comment: 'No invoice there' },
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists the Dify workflow run and shows its tree: parents, kinds and the failed node marked', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/traces?appId=${app}`);
    // The workflow run, the two messages and the trace that named the conversation.
    await expect.poll(() => rowCount(page, 'trace-row')).toBe(4);
    const first = page.locator('[data-test=trace-row]').last();
    expect(await first.innerText()).toContain('Dify');
    await screenshot(page, 'traces');

    await page.selectOption('[data-test=filter-status]', 'ERROR');
    await page.waitForURL(/status=ERROR/);
    await expect.poll(() => rowCount(page, 'trace-row')).toBe(1);
    await page.click('[data-test=trace-row]');
    await page.waitForURL(new RegExp(`/traces/${workflowTrace}`));
    await page.locator('[data-test=span-row]').first().waitFor();
    const rows = await page
      .locator('[data-test=span-row]')
      .evaluateAll((buttons) => buttons.map((b) => [b.dataset.span, b.dataset.depth, b.dataset.kind, b.dataset.status].join(' ')));
    expect(rows).toEqual([
      'Dify 0 CHAIN OK',
      'workflow 1 CHAIN ERROR',
      'knowledge-retrieval 2 RETRIEVER OK',
      'llm 2 LLM OK',
      'tool 2 TOOL OK',
      'code 2 CHAIN ERROR',
    ]);
    expect(await page.locator('[data-span=code] .waterfall__error-icon').count()).toBe(1);
    const totals = await page.locator('[data-test=trace-totals]').innerText();
    expect(totals).toContain('6');
    expect(totals).toContain('2 failed');
    expect(totals).toContain('3.4 s');
    expect(await page.locator('[data-test=kind-legend]').innerText()).toContain('Retriever');
    expect(await page.getAttribute('[data-test=nav-traces]', 'class')).toContain('router-link-active');
    await screenshot(page, 'trace');

    await page.focus('[data-span=knowledge-retrieval]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/span=/);
    const panel = page.locator('[data-test=side-panel]');
    await panel.locator('[data-test=span-facts]').waitFor();
    expect(await panel.innerText()).toContain('gpt-4o');
    expect(await panel.locator('[data-test=span-output]').innerText()).toContain('Order 1042 left the warehouse today.');
    await screenshot(page, 'trace-span', { fullPage: false });
    for (const text of [...TRACE_TEXT, '.side-panel dd', '.side-panel h3'])
      expect(await lowestContrast(page, text)).toBeGreaterThanOrEqual(4.5);

    await panel.locator('[data-test=open-log]').click();
    await page.waitForURL(/\/logs\?.*log=/);
    const drawer = page.locator('[data-test=side-panel]');
    await drawer.locator('[data-test=log-facts]').waitFor();
    expect(await drawer.innerText()).toContain('gpt-4o');
    await drawer.locator('[data-test=open-trace]').click();
    await page.waitForURL(new RegExp(`/traces/${workflowTrace}\\?span=`));
    await page.locator('[data-test=span-facts]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the two-message conversation as one session with its turns in order and the negative feedback', async () => {
    const { page, context, errors } = await openPage(browser);
    await signIn(page, `/sessions?appId=${app}`);
    await expect.poll(() => rowCount(page, 'session-row')).toBe(1);
    expect(await page.locator('[data-test=session-row]').innerText()).toContain(conversation);
    expect(await page.locator('[data-test=session-name]').innerText()).toBe('Order delivery status');
    await screenshot(page, 'sessions');
    await page.click('[data-test=session-row]');
    await page.waitForURL(new RegExp(`/sessions/${conversation}`));
    // The naming trace gives the conversation its title and is not one of its turns.
    await expect.poll(() => page.locator('h1').innerText()).toBe('Order delivery status');
    await expect.poll(() => rowCount(page, 'turn')).toBe(2);
    expect(await page.locator('[data-test=turn-input]').allInnerTexts()).toEqual(['Where is my order?', 'And the invoice?']);
    expect(await page.locator('[data-test=turn-output]').allInnerTexts()).toEqual(['It ships today.', 'It is in your account.']);
    expect(await page.locator('[data-test=turn]').nth(1).locator('[data-test=feedback-negative]').innerText()).toContain(
      'No invoice there',
    );
    expect(await page.locator('[data-test=session-totals]').innerText()).toContain('one negative feedback');
    for (const text of SESSION_TEXT) expect(await lowestContrast(page, text)).toBeGreaterThanOrEqual(4.5);
    await screenshot(page, 'session');
    await page.locator('[data-test=turn]').first().locator('[data-test=open-trace]').click();
    await page.waitForURL(new RegExp(`/traces/${messageTraces[0]}`));
    await page.locator('[data-span=message]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds no serious or critical axe violation in a trace with a span open, or in a conversation, in ${colorScheme} mode`, async () => {
      const { page, context } = await openPage(browser, { colorScheme, reducedMotion: 'reduce', bypassCSP: true });
      await signIn(page, `/traces/${workflowTrace}`);
      await page.click('[data-span=code]');
      await page.locator('[data-test=span-error]').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(`${inject('lumenUrl')}/sessions/${conversation}`);
      await page.locator('[data-test=turn]').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it('reads both pages in Chinese and dark, and fits a 390 px phone without scrolling sideways', async () => {
    const { page, context, errors } = await openPage(browser, { colorScheme: 'dark', locale: 'zh-CN' });
    await signIn(page, `/traces?appId=${app}`);
    await page.selectOption('[data-test=locale]', 'zh-CN');
    await expect.poll(() => page.textContent('h1')).toBe('链路追踪');
    await page.locator('[data-test=trace-row]').first().waitFor();
    const list = await page.locator('body').innerText();
    for (const chinese of ['名称', '耗时', 'LLM 调用', '任意状态']) expect(list).toContain(chinese);
    for (const english of ['Duration', 'LLM calls', 'Any status']) expect(list).not.toContain(english);
    await screenshot(page, 'traces-zh-CN-dark');

    await page.goto(`${inject('lumenUrl')}/traces/${workflowTrace}`);
    await page.locator('[data-test=span-row]').first().waitFor();
    const view = await page.locator('body').innerText();
    for (const chinese of ['检索', '工具', '失败', '耗时']) expect(view).toContain(chinese);
    expect(await page.getAttribute('[data-test=kind-legend]', 'aria-label')).toBe('Span 类型');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(15, 17, 23)');
    await page.click('[data-span=code]');
    await page.locator('[data-test=span-error]').waitFor();
    for (const text of [...TRACE_TEXT, '.side-panel dd', '.notice--error strong'])
      expect(await lowestContrast(page, text)).toBeGreaterThanOrEqual(4.5);
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.search.includes('span='));
    await screenshot(page, 'trace-zh-CN-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'trace-390-zh-CN-dark');

    await page.goto(`${inject('lumenUrl')}/sessions/${conversation}`);
    await expect.poll(() => rowCount(page, 'turn')).toBe(2);
    const session = await page.locator('body').innerText();
    for (const chinese of ['第 1 轮', '回答', '负面反馈', '打开链路']) expect(session).toContain(chinese);
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const text of SESSION_TEXT) expect(await lowestContrast(page, text)).toBeGreaterThanOrEqual(4.5);
    await screenshot(page, 'session-390-zh-CN-dark');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'session-zh-CN-dark');
    expect(errors).toEqual([]);
    await context.close();
  });
});
