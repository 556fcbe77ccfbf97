import type { Client } from 'graphql-ws';

import type { Config } from '../config.js';
import { feedbackInput, SUBMIT_FEEDBACK } from './factories.js';
import { testConfig, type TestLumen } from './lumen.js';
import { subscribe, type Subscription } from './ws-client.js';

export const ALERT_RULE_FIELDS = `id name metric operator threshold windowMinutes appId model minSamples severity cooldownMinutes
  webhookUrl emails enabled createdAt updatedAt`;

export const ALERT_RECORD_FIELDS = `id rule { id name } status metric operator value threshold windowMinutes severity firedAt
  acknowledgedAt acknowledgedBy resolvedAt resolvedBy lastNotifiedAt`;

export const CREATE_ALERT_RULE = `mutation Create($input: AlertRuleInput!) { createAlertRule(input: $input) { ${ALERT_RULE_FIELDS} webhookSecret } }`;

export const ALERT_RECORDS = `query Records($filter: AlertRecordFilter, $first: Int, $after: String) {
  alertRecords(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${ALERT_RECORD_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface AlertRulePayload {
  id: string;
  name: string;
  metric: string;
  operator: string;
  threshold: string;
  windowMinutes: number;
  appId: string | null;
  model: string | null;
  minSamples: number;
  severity: string;
  cooldownMinutes: number;
  webhookUrl: string | null;
  emails: string[];
  enabled: boolean;
  webhookSecret?: string;
}

export interface AlertRecordPayload {
  id: string;
  rule: { id: string; name: string };
  status: 'FIRING' | 'ACKNOWLEDGED' | 'RESOLVED';
  metric: string;
  operator: string;
  value: string;
  threshold: string;
  windowMinutes: number;
  severity: string;
  firedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  lastNotifiedAt: string | null;
}

/** A rule on the negative feedback rate of one app (the metric the tests can move at will); override the rest. */
export function alertRuleInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Unhappy users',
    metric: 'NEGATIVE_FEEDBACK_RATE',
    operator: 'GT',
    threshold: '0.5',
    windowMinutes: 5,
    minSamples: 1,
    ...overrides,
  };
}

/** Config for alert tests: private webhook targets allowed (receivers listen on 127.0.0.1), quick retries, no timer-driven evaluation. */
export function alertTestConfig(overrides: Partial<Config['notifications']> = {}): Partial<Config> {
  const base = testConfig({ kind: 'embedded', dataDir: null });
  return {
    alertEvalIntervalSeconds: 3600,
    notifications: {
      ...base.notifications,
      allowPrivateWebhooks: true,
      backoffBaseMs: 40,
      backoffMaxMs: 160,
      maxAttempts: 4,
      webhookTimeoutMs: 2_000,
      ...overrides,
    },
  };
}

export async function createRule(sut: TestLumen, overrides: Record<string, unknown> = {}): Promise<AlertRulePayload> {
  const result = await sut.gql<{ createAlertRule: AlertRulePayload }>(CREATE_ALERT_RULE, { input: alertRuleInput(overrides) });
  if (!result.data) throw new Error(`createAlertRule failed: ${JSON.stringify(result.errors)}`);
  return result.data.createAlertRule;
}

/** Submits feedback for an app: `negative` thumbs down and `positive` thumbs up. */
export async function rate(sut: TestLumen, appId: string, negative: number, positive = 0): Promise<void> {
  const inputs = [
    ...Array.from({ length: negative }, () => feedbackInput({ appId, rating: 'NEGATIVE' })),
    ...Array.from({ length: positive }, () => feedbackInput({ appId, rating: 'POSITIVE' })),
  ];
  for (const input of inputs) {
    const result = await sut.gql(SUBMIT_FEEDBACK, { input });
    if (!result.data) throw new Error(`submitFeedback failed: ${JSON.stringify(result.errors)}`);
  }
}

export async function recordsOf(sut: TestLumen, ruleId: string): Promise<AlertRecordPayload[]> {
  const result = await sut.gql<{ alertRecords: { edges: { node: AlertRecordPayload }[] } }>(ALERT_RECORDS, { filter: { ruleId } });
  if (!result.data) throw new Error(`alertRecords failed: ${JSON.stringify(result.errors)}`);
  return result.data.alertRecords.edges.map((edge) => edge.node);
}

/** Subscribes to alertFired or alertUpdated over a graphql-ws client. */
export function subscribeToAlerts(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<Record<string, AlertRecordPayload>> {
  return subscribe<Record<string, AlertRecordPayload>>(client, query, variables);
}

export const CHANNEL_FIELDS = 'id name kind url emails enabled disabledReason disabledAt secretSet secretHint';

export interface ChannelPayload {
  id: string;
  name: string;
  kind: string;
  url: string | null;
  emails: string[];
  enabled: boolean;
  disabledReason: string | null;
  secretSet: boolean;
  secretHint: string | null;
}

/** Creates a notification channel; returns it with the generated secret (WEBHOOK without one). */
export async function createChannel(
  sut: TestLumen,
  input: Record<string, unknown>,
): Promise<{ channel: ChannelPayload; secret: string | null }> {
  const result = await sut.gql<{ createNotificationChannel: { channel: ChannelPayload; secret: string | null } }>(
    `mutation($input: NotificationChannelInput!) { createNotificationChannel(input: $input) { channel { ${CHANNEL_FIELDS} } secret } }`,
    { input },
  );
  if (!result.data) throw new Error(`createNotificationChannel failed: ${JSON.stringify(result.errors)}`);
  return result.data.createNotificationChannel;
}
