import type { AlertRecord } from '../alert-record.entity.js';
import type { AlertRule } from '../alert-rule.entity.js';
import { formatDecimal } from '../alert.condition.js';
import { conditionSentence, formatValue, PHRASES, scopeSentence, type Language } from '../alert.wording.js';
import { AlertEventKind } from './alert-delivery.entity.js';

/** What notifications say about a rule: fixed when a notification is queued. */
export type NotifiedRule = Pick<
  AlertRule,
  'id' | 'name' | 'metric' | 'operator' | 'threshold' | 'windowMinutes' | 'appId' | 'model' | 'severity'
> & { language: Language };

/** What happened, in words, whatever the channel: each channel lays it out its own way (channel.payloads.ts). */
export interface AlertMessage {
  event: AlertEventKind | 'TEST';
  language: Language;
  /** "[FIRING] Error rate high" */
  title: string;
  /** "Error rate > 20% over 10 minutes": the inbox's sentence. */
  condition: string;
  /** One line: "Error rate high is FIRING: Error rate > 20% over 10 minutes, value 35%". */
  summary: string;
  /** Value, scope, severity, times and people, in order. */
  facts: { label: string; value: string }[];
  links: { label: string; url: string }[];
  severity: AlertRecord['severity'];
}

const EVENT_TYPE: Record<AlertEventKind, string> = {
  FIRED: 'alert.fired',
  REMINDER: 'alert.reminder',
  ACKNOWLEDGED: 'alert.acknowledged',
  RESOLVED: 'alert.resolved',
};

export function webhookEventType(kind: AlertEventKind): string {
  return EVENT_TYPE[kind];
}

/** The inbox link of an alert and the logs explorer on the calls that failed in its window. */
export function alertLinks(record: AlertRecord, rule: NotifiedRule, publicUrl: string): { alert: string; calls: string } {
  const base = publicUrl.replace(/\/+$/, '');
  const from = new Date(record.firedAt.getTime() - record.windowMinutes * 60_000);
  const to = record.resolvedAt ?? new Date(record.firedAt.getTime() + 60_000);
  const calls = new URLSearchParams({ status: 'ERROR', from: from.toISOString(), to: to.toISOString() });
  if (rule.appId) calls.set('appId', rule.appId);
  if (rule.model) calls.set('model', rule.model);
  return { alert: `${base}/alerts?alert=${encodeURIComponent(record.id)}`, calls: `${base}/logs?${calls.toString()}` };
}

export function alertMessage(kind: AlertEventKind, record: AlertRecord, rule: NotifiedRule, publicUrl: string): AlertMessage {
  const language = rule.language;
  const words = PHRASES[language];
  const condition = conditionSentence(
    {
      metric: record.metric,
      operator: record.operator,
      threshold: record.threshold,
      windowMinutes: record.windowMinutes,
      kind: record.kind,
      stage: record.stage,
    },
    language,
  );
  const value = formatValue(record.metric, record.value, language);
  const state = words.state[kind];
  const facts = [
    { label: words.value, value },
    { label: words.scope, value: scopeSentence(rule, language) },
    { label: words.severityLabel, value: words.severity[record.severity] },
    { label: words.rule, value: rule.name },
    { label: words.firedAt, value: record.firedAt.toISOString() },
    ...(kind === AlertEventKind.ACKNOWLEDGED && record.acknowledgedBy
      ? [{ label: words.acknowledgedBy, value: record.acknowledgedBy }]
      : []),
    ...(kind === AlertEventKind.RESOLVED ? [{ label: words.resolvedBy, value: record.resolvedBy ?? words.resolvedByItself }] : []),
  ];
  const links = alertLinks(record, rule, publicUrl);
  const separator = language === 'zh-CN' ? '：' : ': ';
  const comma = language === 'zh-CN' ? '，' : ', ';
  return {
    event: kind,
    language,
    title: `[${state}] ${rule.name}`,
    condition,
    summary: `${rule.name} ${language === 'zh-CN' ? state : `is ${state}`}${separator}${condition}${comma}${words.value} ${value}`,
    facts,
    links: [
      { label: words.openAlert, url: links.alert },
      { label: words.failingCalls, url: links.calls },
    ],
    severity: record.severity,
  };
}

/** The message of a channel test: says it is a test, in the chosen language. */
export function testMessage(language: Language, channelName: string, publicUrl: string): AlertMessage {
  const words = PHRASES[language];
  return {
    event: 'TEST',
    language,
    title: `[${words.state.TEST}] Lumen · ${channelName}`,
    condition: words.testBody,
    summary: words.testBody,
    facts: [],
    links: [{ label: words.openAlert, url: `${publicUrl.replace(/\/+$/, '')}/alerts` }],
    severity: 'INFO' as AlertRecord['severity'],
  };
}

/** The JSON body of a generic webhook call (documented in the README). */
export function webhookBody(
  kind: AlertEventKind,
  deliveryId: string,
  record: AlertRecord,
  rule: NotifiedRule,
  message: AlertMessage,
  at: Date,
): Record<string, unknown> {
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    type: webhookEventType(kind),
    deliveryId,
    occurredAt: at.toISOString(),
    summary: message.summary,
    message: { language: message.language, title: message.title, condition: message.condition, facts: message.facts, links: message.links },
    alert: {
      id: record.id,
      status: record.status,
      metric: record.metric,
      operator: record.operator,
      value: formatDecimal(record.value),
      threshold: formatDecimal(record.threshold),
      windowMinutes: record.windowMinutes,
      severity: record.severity,
      firedAt: iso(record.firedAt),
      acknowledgedAt: iso(record.acknowledgedAt),
      acknowledgedBy: record.acknowledgedBy ?? null,
      resolvedAt: iso(record.resolvedAt),
      resolvedBy: record.resolvedBy ?? null,
    },
    rule: {
      id: rule.id,
      name: rule.name,
      metric: rule.metric,
      operator: rule.operator,
      threshold: formatDecimal(rule.threshold),
      windowMinutes: rule.windowMinutes,
      appId: rule.appId ?? null,
      model: rule.model ?? null,
      severity: rule.severity,
      language: rule.language,
    },
  };
}

/** A plain-text email: the summary, the facts one per line, the links. */
export function emailMessage(message: AlertMessage): { subject: string; text: string } {
  const severity = message.facts.find((fact) => fact.label === PHRASES[message.language].severityLabel)?.value;
  const lines = [
    message.summary,
    '',
    message.condition,
    ...message.facts.map((fact) => `${fact.label}: ${fact.value}`),
    '',
    ...message.links.map((link) => `${link.label}: ${link.url}`),
    '',
    '-- Lumen',
  ];
  const open = message.language === 'zh-CN' ? '（' : ' (';
  const close = message.language === 'zh-CN' ? '）：' : '): ';
  const subject = severity
    ? `[Lumen] ${message.title.replace(/^\[([^\]]+)\] /, `$1${open}${severity}${close}`)}`
    : `[Lumen] ${message.title}`;
  return { subject, text: lines.join('\n') };
}
