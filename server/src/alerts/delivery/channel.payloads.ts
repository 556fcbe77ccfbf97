import type { AlertMessage } from './alert.notification.js';

/**
 * Each provider's message for an alert, built from the same words (AlertMessage). Secrets are not part of
 * these bodies: signatures and routing keys are added when a message is sent (channel.sender.ts), so a
 * stored notification holds no credential and a rotated secret applies to retries.
 */

/** Slack incoming webhook, Block Kit: header, the condition, the facts as fields, link buttons; `text` is the fallback. */
export function slackPayload(message: AlertMessage): Record<string, unknown> {
  return {
    text: message.summary,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: message.title.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(message.condition)}*` } },
      ...(message.facts.length
        ? [
            {
              type: 'section',
              fields: message.facts
                .slice(0, 10)
                .map((fact) => ({ type: 'mrkdwn', text: `*${escapeSlack(fact.label)}*\n${escapeSlack(fact.value)}` })),
            },
          ]
        : []),
      {
        type: 'actions',
        elements: message.links.map((link, index) => ({
          type: 'button',
          text: { type: 'plain_text', text: link.label },
          url: link.url,
          ...(index === 0 ? { style: message.event === 'RESOLVED' ? 'primary' : 'danger' } : {}),
        })),
      },
    ],
  };
}

/** Slack mrkdwn treats &, < and > as control characters. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const FEISHU_COLOR: Record<string, string> = { CRITICAL: 'red', WARNING: 'orange', INFO: 'blue' };

/** Feishu / Lark custom bot, an interactive card: coloured header, the condition, the facts, link buttons. */
export function feishuPayload(message: AlertMessage): Record<string, unknown> {
  const template = message.event === 'RESOLVED' ? 'green' : (FEISHU_COLOR[message.severity] ?? 'blue');
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: message.title }, template },
      elements: [
        { tag: 'div', text: { tag: 'lark_md', content: `**${message.condition}**` } },
        ...(message.facts.length
          ? [
              {
                tag: 'div',
                fields: message.facts.map((fact) => ({
                  is_short: true,
                  text: { tag: 'lark_md', content: `**${fact.label}**\n${fact.value}` },
                })),
              },
            ]
          : []),
        {
          tag: 'action',
          actions: message.links.map((link, index) => ({
            tag: 'button',
            text: { tag: 'plain_text', content: link.label },
            type: index === 0 ? 'primary' : 'default',
            url: link.url,
          })),
        },
      ],
    },
  };
}

/** DingTalk custom robot, markdown: `title` is what the conversation list shows. */
export function dingTalkPayload(message: AlertMessage): Record<string, unknown> {
  const lines = [
    `### ${message.title}`,
    '',
    `**${message.condition}**`,
    '',
    ...message.facts.map((fact) => `- **${fact.label}**: ${fact.value}`),
    '',
    message.links.map((link) => `[${link.label}](${link.url})`).join(' · '),
  ];
  return { msgtype: 'markdown', markdown: { title: message.title, text: lines.join('\n') } };
}

const WECOM_COLOR: Record<string, string> = { CRITICAL: 'warning', WARNING: 'warning', INFO: 'info' };

/** WeCom group robot, markdown (its subset: headings, bold, quotes, links, three font colours; at most 4,096 bytes). */
export function weComPayload(message: AlertMessage): Record<string, unknown> {
  const color = message.event === 'RESOLVED' ? 'info' : (WECOM_COLOR[message.severity] ?? 'comment');
  const lines = [
    `### <font color="${color}">${message.title}</font>`,
    `**${message.condition}**`,
    ...message.facts.map((fact) => `> ${fact.label}: <font color="comment">${fact.value}</font>`),
    message.links.map((link) => `[${link.label}](${link.url})`).join('  '),
  ];
  return { msgtype: 'markdown', markdown: { content: truncateBytes(lines.join('\n'), 4096) } };
}

function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let cut = text;
  while (Buffer.byteLength(cut) > max - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}

const PAGERDUTY_SEVERITY: Record<string, string> = { CRITICAL: 'critical', WARNING: 'warning', INFO: 'info' };

/**
 * PagerDuty Events API v2: trigger when an alert fires, acknowledge when someone takes it, resolve when
 * it closes, all with the alert's dedup_key so that the incident follows the alert record. The routing
 * key is added when sending.
 */
export function pagerDutyPayload(
  message: AlertMessage,
  dedupKey: string,
  details: { timestamp: Date; appId?: string | null; model?: string | null; metric: string },
): Record<string, unknown> {
  if (message.event === 'ACKNOWLEDGED') return { event_action: 'acknowledge', dedup_key: dedupKey };
  if (message.event === 'RESOLVED') return { event_action: 'resolve', dedup_key: dedupKey };
  return {
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: message.summary.slice(0, 1024),
      source: 'lumen',
      severity: PAGERDUTY_SEVERITY[message.severity] ?? 'warning',
      timestamp: details.timestamp.toISOString(),
      ...(details.appId ? { component: details.appId } : {}),
      ...(details.model ? { group: details.model } : {}),
      class: details.metric,
      custom_details: Object.fromEntries(message.facts.map((fact) => [fact.label, fact.value])),
    },
    client: 'Lumen',
    client_url: message.links[0]?.url,
    links: message.links.map((link) => ({ href: link.url, text: link.label })),
  };
}

/** The dedup_key of an alert record: the same for its trigger, acknowledge and resolve. */
export function pagerDutyDedupKey(recordId: string): string {
  return `lumen-alert-${recordId}`;
}

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
