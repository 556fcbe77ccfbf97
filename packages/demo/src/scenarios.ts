import type { Random } from '@lumen/testkit';

import { DEMO_PRICES, MODELS } from './catalog.js';
import { feedbackOnBatch } from './feedback.js';
import type { AlertRuleInput, LumenApi } from './lumen-client.js';
import type { DemoLog, Incident } from './traffic.js';

export type Phase = 'backfill' | 'live';

export interface DemoContext {
  api: LumenApi;
  adminKey: string;
  /** The INGEST key the demo created for itself; logs and feedback are sent with it. */
  ingestKey: string;
  random: Random;
  log: (line: string) => void;
}

/**
 * A part of the demo story. Each hook is optional:
 * - `setup` runs once before any traffic (create prices, alert rules, ...);
 * - `incidents` shapes the traffic of a phase (a stretch of errors and slow answers);
 * - `afterBatch` sees each batch of calls once Lumen has stored it (attach feedback to them, ...).
 * A feedback scenario is an `afterBatch` that submits feedback for a share of the stored calls; an
 * alert scenario is a `setup` that creates a rule plus an `incidents` window in the live phase
 * that breaches it.
 */
export interface Scenario {
  name: string;
  setup?(context: DemoContext): Promise<void>;
  incidents?(phase: Phase, window: { from: number; to: number }): Incident[];
  afterBatch?(context: DemoContext, stored: readonly DemoLog[], phase: Phase): Promise<void>;
}

/** Puts the demo's prices in the cost table, once: entries that exist already are left alone. */
export const demoPrices: Scenario = {
  name: 'prices',
  async setup({ api, adminKey, log }) {
    const existing = await api.costConfigs(adminKey);
    const has = (entry: (typeof DEMO_PRICES)[number]) =>
      existing.some(
        (config) =>
          config.provider.toLowerCase() === entry.provider &&
          ('model' in entry ? config.model?.toLowerCase() === entry.model : config.modelPattern === entry.modelPattern),
      );
    const missing = DEMO_PRICES.filter((entry) => !has(entry));
    for (const entry of missing) await api.createCostConfig(adminKey, { ...entry });
    log(
      missing.length
        ? `Cost table: added ${missing.length} prices (Qwen, OpenAI embeddings).`
        : 'Cost table: the demo prices are already there.',
    );
  },
};

const HOUR = 3_600_000;

/**
 * Two bad moments in the past days: DeepSeek answering "Server is busy" for 40 minutes, and
 * Anthropic overloaded for 25 minutes, so the history has failures worth finding.
 */
export const pastIncidents: Scenario = {
  name: 'incidents',
  incidents(phase, { from, to }) {
    if (phase !== 'backfill') return [];
    const candidates: Incident[] = [
      {
        from: to - 26 * HOUR,
        to: to - 26 * HOUR + 40 * 60_000,
        model: 'deepseek-chat',
        errorRate: 0.45,
        latencyFactor: 3,
        error: MODELS['deepseek-chat'].errors[0],
      },
      {
        from: to - 50 * HOUR,
        to: to - 50 * HOUR + 25 * 60_000,
        provider: 'anthropic',
        errorRate: 0.3,
        latencyFactor: 1.8,
        error: MODELS['claude-sonnet-4-5'].errors[0],
      },
    ];
    return candidates.filter((incident) => incident.from >= from);
  },
};

/**
 * What end users thought of the answers they got (see feedback.ts): feedback on a share of every
 * stored batch, sent one by one as an application would send it.
 */
export const endUserFeedback: Scenario = {
  name: 'feedback',
  async afterBatch({ api, ingestKey, random }, stored) {
    for (const feedback of feedbackOnBatch(stored, random)) await api.submitFeedback(ingestKey, feedback);
  },
};

/** The rule the live demo breaches: support-chat failing on more than a fifth of its calls. */
export const DEMO_ALERT_RULE = {
  name: 'support-chat error rate',
  metric: 'ERROR_RATE',
  operator: 'GT',
  threshold: '0.2',
  windowMinutes: 5,
  appId: 'support-chat',
  minSamples: 10,
  severity: 'CRITICAL',
  cooldownMinutes: 30,
} satisfies AlertRuleInput;
const ALERT_INCIDENT_DELAY_MS = 60_000;
const ALERT_INCIDENT_MS = 6 * 60_000;

/**
 * An alert to watch happen: a rule on support-chat's error rate (created once), then, a minute into
 * the live phase, six minutes in which more than half of support-chat's calls fail. The rule
 * fires at the next evaluation, the dashboard shows the toast, and the alert resolves by itself
 * once the errors have left the window.
 */
export const liveAlert: Scenario = {
  name: 'alert',
  async setup({ api, adminKey, log }) {
    if ((await api.alertRuleNames(adminKey)).includes(DEMO_ALERT_RULE.name)) return;
    await api.createAlertRule(adminKey, DEMO_ALERT_RULE);
    log(`Alert rule: "${DEMO_ALERT_RULE.name}" (over 20 % of support-chat's calls failing in 5 minutes).`);
  },
  incidents(phase, { from, to }) {
    if (phase !== 'live') return [];
    const start = from + ALERT_INCIDENT_DELAY_MS;
    return [{ from: start, to: Math.min(to, start + ALERT_INCIDENT_MS), appId: 'support-chat', errorRate: 0.7, latencyFactor: 1.6 }];
  },
};

export const SCENARIOS: readonly Scenario[] = [demoPrices, pastIncidents, endUserFeedback, liveAlert];
