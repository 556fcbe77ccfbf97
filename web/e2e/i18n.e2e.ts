import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, openPage, screenshot } from './support/browser';
import { signIn } from './support/session';

describe('Simplified Chinese', () => {
  let browser: Browser;
  const text = (page: Page) => page.locator('body').innerText();

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('translates every page, with numbers and dates written for the locale', async () => {
    const { page, context, errors } = await openPage(browser, { timezoneId: 'Asia/Shanghai' });
    await signIn(page);
    await page.selectOption('[data-test=locale]', 'zh-CN');
    await expect.poll(() => page.textContent('h1')).toBe('日志');
    await page.locator('[data-test=log-row]').first().waitFor();
    expect((await page.locator('nav a').allTextContents()).map((item) => item.trim())).toEqual([
      '仪表盘',
      '日志',
      '链路追踪',
      '会话',
      '用户',
      '费用',
      '告警',
      '用户反馈',
      'API 密钥',
    ]);
    const logs = await text(page);
    for (const chinese of ['最近 24 小时', '时间', '延迟', '加载更多', '退出登录']) expect(logs).toContain(chinese);
    for (const english of ['Refresh', 'Latency', 'Last 24 hours', 'Load more', 'Sign out']) expect(logs).not.toContain(english);
    expect(await page.getAttribute('[data-test=filter-appId]', 'placeholder')).toBe('全部应用');
    expect(await page.locator('[data-test=log-row] td').first().textContent()).toMatch(/\d+月\d+日/);
    await screenshot(page, 'logs-zh-CN');

    await page.locator('[data-test=log-row]').first().click();
    await page.locator('[data-test=log-facts]').waitFor();
    expect(await page.locator('[data-test=side-panel]').innerText()).toContain('提示词');
    await screenshot(page, 'log-drawer-zh-CN', { fullPage: false });
    await page.keyboard.press('Escape');

    await page.click('[data-test=nav-costs]');
    await expect.poll(() => page.textContent('h1')).toBe('费用');
    await page.locator('[data-test=cost-table]').waitFor();
    const costs = await text(page);
    for (const chinese of ['添加价格', '输入 / 百万', '重新计算已存日志的费用']) expect(costs).toContain(chinese);
    for (const english of ['Add price', 'Effective from', 'Re-price']) expect(costs).not.toContain(english);
    await screenshot(page, 'costs-zh-CN');

    await page.click('[data-test=nav-alerts]');
    await expect.poll(() => page.textContent('h1')).toBe('告警');
    await page.click('[data-test=tab-rules]');
    await page.locator('[data-test=rule-table]').waitFor();
    const rules = await text(page);
    for (const chinese of ['新建规则', '错误率', '5分钟内', '严重', '应用内']) expect(rules).toContain(chinese);
    for (const english of ['New rule', 'Error rate', 'Critical', 'In the app']) expect(rules).not.toContain(english);
    await screenshot(page, 'alert-rules-zh-CN');

    await page.click('[data-test=nav-feedback]');
    await expect.poll(() => page.textContent('h1')).toBe('用户反馈');
    await page.locator('[data-test=feedback-item]').first().waitFor();
    await expect.poll(() => page.locator('[data-test=chart-byCategory] svg').evaluate((svg) => svg.textContent ?? '')).toContain('好评');
    const feedback = await text(page);
    for (const chinese of ['最近 7 天', '平均评分', '反馈趋势', '按分类', '差评', '查看日志', '解决']) expect(feedback).toContain(chinese);
    for (const english of ['Average score', 'Feedback over time', 'By category', 'View the log', 'Resolve'])
      expect(feedback).not.toContain(english);
    expect(await page.getAttribute('[data-test=filter-category]', 'placeholder')).toBe('全部分类');
    await screenshot(page, 'feedback-zh-CN');

    await page.click('[data-test=nav-keys]');
    await expect.poll(() => page.textContent('h1')).toBe('API 密钥');
    await page.locator('[data-test=keys-table]').waitFor();
    const keys = await text(page);
    for (const chinese of ['创建密钥', '最近使用', '管理员']) expect(keys).toContain(chinese);
    for (const english of ['Create key', 'Last used', 'Revoke']) expect(keys).not.toContain(english);
    await screenshot(page, 'keys-zh-CN');
    expect(errors).toEqual([]);
    await context.close();
  });
});
