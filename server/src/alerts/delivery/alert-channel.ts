import { registerEnumType } from 'type-graphql';

/** Where a notification goes: the kind of a notification channel, and the channel of each delivery. */
export enum AlertChannel {
  WEBHOOK = 'WEBHOOK',
  EMAIL = 'EMAIL',
  SLACK = 'SLACK',
  FEISHU = 'FEISHU',
  DINGTALK = 'DINGTALK',
  WECOM = 'WECOM',
  PAGERDUTY = 'PAGERDUTY',
}

registerEnumType(AlertChannel, {
  name: 'AlertChannel',
  description: 'Where a notification goes (in-app notifications are the alertFired and alertUpdated subscriptions).',
  valuesConfig: {
    WEBHOOK: { description: 'A signed JSON POST (X-Lumen-Signature and Standard Webhooks headers).' },
    EMAIL: { description: 'A plain-text email through the SMTP_* settings.' },
    SLACK: { description: 'A Slack incoming webhook (Block Kit message).' },
    FEISHU: { description: 'A Feishu / Lark custom bot (interactive card), optionally signed.' },
    DINGTALK: { description: 'A DingTalk custom robot (markdown), optionally signed.' },
    WECOM: { description: 'A WeCom (WeChat Work) group robot (markdown).' },
    PAGERDUTY: { description: 'A PagerDuty service through the Events API v2 (trigger, acknowledge, resolve).' },
  },
});
