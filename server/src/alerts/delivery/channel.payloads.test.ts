import { describe, expect, it } from 'vitest';

import { AlertStatus, type AlertRecord } from '../alert-record.entity.js';
import { AlertMetric, AlertOperator, AlertRuleKind, AlertSeverity, type AlertRule } from '../alert-rule.entity.js';
import { AlertEventKind } from './alert-delivery.entity.js';
import { alertMessage, type NotifiedRule } from './alert.notification.js';
import { dingTalkPayload, pagerDutyPayload, slackPayload, weComPayload } from './channel.payloads.js';

const rule: NotifiedRule = {
  id: 'rule-1',
  name: 'Chat errors',
  metric: AlertMetric.ERROR_RATE,
  operator: AlertOperator.GT,
  threshold: '0.2',
  windowMinutes: 10,
  appId: 'support-chat',
  model: 'gpt-4o',
  severity: AlertSeverity.CRITICAL,
  language: 'en',
};
const record: AlertRecord = {
  id: 'alert-1',
  rule: { id: rule.id, name: rule.name } as AlertRule,
  status: AlertStatus.RESOLVED,
  kind: AlertRuleKind.THRESHOLD,
  stage: '',
  metric: AlertMetric.ERROR_RATE,
  operator: AlertOperator.GT,
  value: '0.35',
  threshold: '0.2',
  windowMinutes: 10,
  severity: AlertSeverity.CRITICAL,
  firedAt: new Date('2026-12-04T10:00:00Z'),
  resolvedAt: new Date('2026-12-04T10:20:00Z'),
  resolvedBy: 'ops key',
};

describe(alertMessage.name, () => {
  it('says what a budget or an anomaly alert is about, in English and Chinese', () => {
    const forecast = { ...record, kind: AlertRuleKind.BUDGET, stage: 'FORECAST', metric: AlertMetric.COST, threshold: '500', value: '640' };
    expect(alertMessage(AlertEventKind.FIRED, forecast, rule, 'https://lumen.example.com/').condition).toBe(
      'Cost forecast for the period > $500.00 budget',
    );
    const spent = { ...forecast, stage: 'SPENT' };
    expect(alertMessage(AlertEventKind.FIRED, spent, { ...rule, language: 'zh-CN' }, 'https://lumen.example.com/').condition).toBe(
      '本周期已花费 > 预算 US$500.00',
    );
    const anomaly = {
      ...record,
      kind: AlertRuleKind.ANOMALY,
      metric: AlertMetric.REQUEST_COUNT,
      operator: AlertOperator.NEQ,
      threshold: '3',
    };
    expect(alertMessage(AlertEventKind.FIRED, anomaly, rule, 'https://lumen.example.com/').condition).toBe(
      'Requests over 10 minutes more than 3 deviations away from the usual for this hour of the week',
    );
  });

  it('says what fired, its value, scope and severity, with links, in English', () => {
    const message = alertMessage(AlertEventKind.FIRED, record, rule, 'https://lumen.example.com/');
    expect(message).toMatchObject({
      title: '[FIRING] Chat errors',
      condition: 'Error rate > 20% over 10 minutes',
      summary: 'Chat errors is FIRING: Error rate > 20% over 10 minutes, Value 35%',
    });
    expect(message.facts.slice(0, 3)).toEqual([
      { label: 'Value', value: '35%' },
      { label: 'Scope', value: 'App support-chat · Model gpt-4o' },
      { label: 'Severity', value: 'Critical' },
    ]);
    expect(message.links[0]).toEqual({ label: 'Open the alert', url: 'https://lumen.example.com/alerts?alert=alert-1' });
    expect(message.links[1]!.url).toBe(
      'https://lumen.example.com/logs?status=ERROR&from=2026-12-04T09%3A50%3A00.000Z&to=2026-12-04T10%3A20%3A00.000Z&appId=support-chat&model=gpt-4o',
    );
  });

  it('says the same in Simplified Chinese for a zh-CN rule, and who resolved it', () => {
    const message = alertMessage(AlertEventKind.RESOLVED, record, { ...rule, language: 'zh-CN' }, 'https://lumen.example.com');
    expect(message).toMatchObject({
      title: '[已解决] Chat errors',
      condition: '10分钟内错误率 > 20%',
      summary: 'Chat errors 已解决：10分钟内错误率 > 20%，当前值 35%',
    });
    expect(message.facts).toContainEqual({ label: '解决人', value: 'ops key' });
    expect(message.facts).toContainEqual({ label: '范围', value: '应用 support-chat · 模型 gpt-4o' });
    expect(message.links.map((link) => link.label)).toEqual(['查看告警', '查看失败的调用']);
  });
});

describe('provider payloads', () => {
  const zh = alertMessage(AlertEventKind.FIRED, record, { ...rule, language: 'zh-CN' }, 'https://lumen.example.com');

  it('lay out the same words for Slack, DingTalk and WeCom', () => {
    const slack = slackPayload(zh) as { text: string; blocks: { text?: { text: string } }[] };
    expect(slack.text).toBe(zh.summary);
    expect(slack.blocks[0]!.text!.text).toBe('[告警中] Chat errors');
    expect(slack.blocks[1]!.text!.text).toBe('*10分钟内错误率 &gt; 20%*');
    expect((dingTalkPayload(zh).markdown as { text: string }).text).toContain('- **当前值**: 35%');
    expect((weComPayload(zh).markdown as { content: string }).content).toContain(
      '[查看告警](https://lumen.example.com/alerts?alert=alert-1)',
    );
  });

  it('keep a WeCom message within its 4,096 bytes', () => {
    const long = { ...zh, facts: Array.from({ length: 200 }, (_, i) => ({ label: `标签${i}`, value: '很长的值'.repeat(5) })) };
    expect(Buffer.byteLength((weComPayload(long).markdown as { content: string }).content)).toBeLessThanOrEqual(4096);
  });

  it('map the alert lifecycle onto PagerDuty events with one dedup_key', () => {
    const at = { timestamp: record.firedAt, appId: rule.appId, model: rule.model, metric: rule.metric };
    const trigger = pagerDutyPayload(zh, 'lumen-alert-alert-1', at);
    expect(trigger).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'lumen-alert-alert-1',
      payload: { severity: 'critical', source: 'lumen', component: 'support-chat', group: 'gpt-4o', class: 'ERROR_RATE' },
      client: 'Lumen',
      client_url: 'https://lumen.example.com/alerts?alert=alert-1',
    });
    expect(pagerDutyPayload({ ...zh, event: AlertEventKind.ACKNOWLEDGED }, 'lumen-alert-alert-1', at)).toEqual({
      event_action: 'acknowledge',
      dedup_key: 'lumen-alert-alert-1',
    });
    expect(pagerDutyPayload({ ...zh, event: AlertEventKind.RESOLVED }, 'lumen-alert-alert-1', at)).toEqual({
      event_action: 'resolve',
      dedup_key: 'lumen-alert-alert-1',
    });
  });
});
