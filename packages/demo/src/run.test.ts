import { describe, expect, it } from 'vitest';

import type { DemoFeedback } from './feedback.js';
import type { AlertRuleInput, LumenApi, PriceInput } from './lumen-client.js';
import { KEY_NAME, runDemo, type DemoOptions } from './run.js';
import { DEMO_ALERT_RULE, type Scenario } from './scenarios.js';
import type { DemoLog } from './traffic.js';

class FakeLumen implements LumenApi {
  keys: Array<{ id: string; name: string; role: string; revoked: boolean }> = [];
  prices: PriceInput[] = [];
  batches: Array<{ key: string; logs: DemoLog[] }> = [];
  feedback: Array<{ key: string; feedback: DemoFeedback }> = [];
  rules: AlertRuleInput[] = [];

  async createApiKey(_adminKey: string, name: string, role: 'INGEST' | 'READ' | 'ADMIN') {
    const id = `key-${this.keys.length + 1}`;
    this.keys.push({ id, name, role, revoked: false });
    return { id, key: `lmn_secret_${id}` };
  }
  async revokeApiKey(_adminKey: string, id: string) {
    this.keys.find((key) => key.id === id)!.revoked = true;
  }
  async costConfigs() {
    return this.prices.map((price) => ({ provider: price.provider, model: price.model ?? null, modelPattern: price.modelPattern ?? null }));
  }
  async createCostConfig(_adminKey: string, input: PriceInput) {
    this.prices.push(input);
  }
  async alertRuleNames() {
    return this.rules.map((rule) => rule.name);
  }
  async createAlertRule(_adminKey: string, input: AlertRuleInput) {
    this.rules.push(input);
  }
  async ingestLogs(key: string, logs: DemoLog[]) {
    this.batches.push({ key, logs });
    return { accepted: logs.length, duplicates: 0, rejected: [] };
  }
  async submitFeedback(key: string, feedback: DemoFeedback) {
    this.feedback.push({ key, feedback });
  }
}

const options: DemoOptions = {
  url: 'http://lumen.test',
  adminKey: 'admin',
  days: 1,
  callsPerDay: 1500,
  live: true,
  liveCallsPerMinute: 120,
  liveMinutes: 1,
  seed: 9,
};

function clock() {
  let time = Date.UTC(2025, 2, 3, 12);
  return { now: () => time, sleep: async (ms: number) => void (time += ms) };
}

describe(runDemo.name, () => {
  it('sends history then a live trickle with its own INGEST key, and revokes the key at the end', async () => {
    const lumen = new FakeLumen();
    const summary = await runDemo(options, { api: lumen, log: () => undefined, ...clock() });
    expect(lumen.keys).toEqual([{ id: 'key-1', name: KEY_NAME, role: 'INGEST', revoked: true }]);
    expect(lumen.batches.every((batch) => batch.key === 'lmn_secret_key-1' && batch.logs.length <= 500)).toBe(true);
    expect(summary.backfilled).toBeGreaterThan(800);
    expect(summary.live).toBeGreaterThan(60);
    expect(summary.backfilled + summary.live).toBe(lumen.batches.reduce((sum, batch) => sum + batch.logs.length, 0));
  });

  it('sends end-user feedback on calls it stored, with its INGEST key', async () => {
    const lumen = new FakeLumen();
    await runDemo({ ...options, live: false }, { api: lumen, log: () => undefined, ...clock() });
    const sent = new Set(lumen.batches.flatMap((batch) => batch.logs.map((log) => log.eventId)));
    const traces = new Set(lumen.batches.flatMap((batch) => batch.logs.map((log) => log.traceId)));
    expect(lumen.feedback.length).toBeGreaterThan(20);
    expect(lumen.feedback.every(({ key }) => key === 'lmn_secret_key-1')).toBe(true);
    const linkable = lumen.feedback.filter(
      ({ feedback }) => (feedback.logEventId && sent.has(feedback.logEventId)) || (feedback.traceId && traces.has(feedback.traceId)),
    );
    expect(linkable.length / lumen.feedback.length).toBeGreaterThan(0.9);
  });

  it('adds its prices once, however often it runs', async () => {
    const lumen = new FakeLumen();
    await runDemo({ ...options, days: 0, live: false }, { api: lumen, log: () => undefined, ...clock() });
    await runDemo({ ...options, days: 0, live: false }, { api: lumen, log: () => undefined, ...clock() });
    expect(lumen.prices.map((price) => price.model ?? price.modelPattern)).toEqual([
      'text-embedding-3-small',
      'qwen-max',
      'qwen-plus',
      'qwen-turbo(-latest|-\\d{4}-\\d{2}-\\d{2})?',
    ]);
  });

  it('creates its alert rule once and, live, makes support-chat fail often enough to breach it', async () => {
    const lumen = new FakeLumen();
    await runDemo({ ...options, days: 0, liveMinutes: 8 }, { api: lumen, log: () => undefined, ...clock() });
    await runDemo({ ...options, days: 0, live: false }, { api: lumen, log: () => undefined, ...clock() });
    expect(lumen.rules).toEqual([DEMO_ALERT_RULE]);
    const live = lumen.batches.flatMap((batch) => batch.logs);
    const start = Date.parse(live[0]!.timestamp);
    const share = (logs: DemoLog[]) => logs.filter((log) => log.status === 'ERROR').length / logs.length;
    const chat = (from: number, to: number) =>
      live.filter(
        (log) => log.appId === 'support-chat' && Date.parse(log.timestamp) >= start + from && Date.parse(log.timestamp) < start + to,
      );
    const during = chat(2 * 60_000, 7 * 60_000);
    expect(during.length).toBeGreaterThanOrEqual(DEMO_ALERT_RULE.minSamples);
    expect(share(during)).toBeGreaterThan(Number(DEMO_ALERT_RULE.threshold));
    expect(share(chat(0, 55_000))).toBeLessThan(Number(DEMO_ALERT_RULE.threshold));
  });

  it('runs every scenario hook: setup once, incidents per phase, afterBatch per stored batch', async () => {
    const seen: string[] = [];
    const scenario: Scenario = {
      name: 'probe',
      async setup() {
        seen.push('setup');
      },
      incidents(phase) {
        seen.push(`incidents:${phase}`);
        return [];
      },
      async afterBatch(context, stored, phase) {
        if (!seen.includes(`batch:${phase}`)) seen.push(`batch:${phase}`);
        expect(context.ingestKey).toBe('lmn_secret_key-1');
        expect(stored.length).toBeGreaterThan(0);
      },
    };
    await runDemo(options, { api: new FakeLumen(), log: () => undefined, scenarios: [scenario], ...clock() });
    expect(seen).toEqual(['setup', 'incidents:backfill', 'batch:backfill', 'incidents:live', 'batch:live']);
  });

  it('stops when interrupted and still revokes its key', async () => {
    const lumen = new FakeLumen();
    const stop = new AbortController();
    const time = clock();
    const sleep = async (ms: number) => {
      await time.sleep(ms);
      stop.abort();
    };
    await runDemo(
      { ...options, days: 0, liveMinutes: null },
      { api: lumen, log: () => undefined, signal: stop.signal, now: time.now, sleep },
    );
    expect(lumen.keys[0]!.revoked).toBe(true);
  });
});
