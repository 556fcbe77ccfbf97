import { Random } from '@lumen/testkit';

import { LumenClient, type LumenApi } from './lumen-client.js';
import { SCENARIOS, type DemoContext, type Phase, type Scenario } from './scenarios.js';
import { TrafficModel, type DemoLog } from './traffic.js';

export interface DemoOptions {
  url: string;
  adminKey: string;
  /** Days of history to send before going live (0: none). */
  days: number;
  /** Average calls per day in the history. */
  callsPerDay: number;
  live: boolean;
  liveCallsPerMinute: number;
  /** Stop the live trickle after this many minutes; null: until interrupted. */
  liveMinutes: number | null;
  seed: number;
}

export interface DemoEnvironment {
  api?: LumenApi;
  log?: (line: string) => void;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  scenarios?: readonly Scenario[];
}

export interface DemoSummary {
  backfilled: number;
  live: number;
  rejected: number;
}

export const KEY_NAME = 'lumen demo traffic';
const BATCH = 500;
const TICK_MS = 2_000;
const WARM_UP_MS = 20 * 60_000;

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Sends the demo traffic: creates an INGEST key, runs each scenario's setup, sends the history of
 * the last days, then a live trickle until stopped, and revokes its key at the end.
 */
export async function runDemo(options: DemoOptions, env: DemoEnvironment = {}): Promise<DemoSummary> {
  const api = env.api ?? new LumenClient(options.url);
  const log = env.log ?? ((line: string) => console.log(line));
  const now = env.now ?? Date.now;
  const sleep = env.sleep ?? abortableSleep;
  const scenarios = env.scenarios ?? SCENARIOS;
  const random = new Random(options.seed);
  const summary: DemoSummary = { backfilled: 0, live: 0, rejected: 0 };

  const created = await api.createApiKey(options.adminKey, KEY_NAME, 'INGEST');
  log(`Created the INGEST key "${KEY_NAME}" (${created.key.slice(0, 12)}…); it is revoked when the demo stops.`);
  const context: DemoContext = { api, adminKey: options.adminKey, ingestKey: created.key, random, log };

  async function send(calls: DemoLog[], phase: Phase): Promise<number> {
    let accepted = 0;
    for (let start = 0; start < calls.length; start += BATCH) {
      const batch = calls.slice(start, start + BATCH);
      const outcome = await api.ingestLogs(created.key, batch);
      accepted += outcome.accepted + outcome.duplicates;
      summary.rejected += outcome.rejected.length;
      if (outcome.rejected[0])
        log(
          `  ${outcome.rejected.length} calls refused, first: #${outcome.rejected[0].index} ${outcome.rejected[0].field}: ${outcome.rejected[0].message}`,
        );
      for (const scenario of scenarios) await scenario.afterBatch?.(context, batch, phase);
    }
    return accepted;
  }

  try {
    for (const scenario of scenarios) await scenario.setup?.(context);

    if (options.days > 0 && !env.signal?.aborted) {
      const to = now();
      const from = to - options.days * 86_400_000;
      const incidents = scenarios.flatMap((scenario) => scenario.incidents?.('backfill', { from, to }) ?? []);
      const model = new TrafficModel({ random, callsPerDay: options.callsPerDay, diurnal: true, incidents });
      log(
        `History: about ${Math.round(options.callsPerDay * options.days).toLocaleString('en')} calls over the last ${options.days === 1 ? 'day' : `${options.days} days`}…`,
      );
      for (let hour = from; hour < to && !env.signal?.aborted; hour += 6 * 3_600_000) {
        summary.backfilled += await send(model.callsBetween(hour, Math.min(to, hour + 6 * 3_600_000)), 'backfill');
      }
      log(`History: ${summary.backfilled.toLocaleString('en')} calls stored.`);
    }

    if (options.live && !env.signal?.aborted) {
      const started = now();
      const stopAt = options.liveMinutes === null ? Number.POSITIVE_INFINITY : started + options.liveMinutes * 60_000;
      const incidents = scenarios.flatMap((scenario) => scenario.incidents?.('live', { from: started, to: stopAt }) ?? []);
      const model = new TrafficModel({ random, callsPerDay: options.liveCallsPerMinute * 1440, diurnal: false, incidents });
      // Start with sessions already under way, so the first minutes carry the full rate (not only first turns).
      model.callsBetween(started - WARM_UP_MS, started);
      log(
        `Live: about ${options.liveCallsPerMinute} calls a minute${options.liveMinutes === null ? ' (Ctrl-C to stop)' : ` for ${options.liveMinutes} minutes`}.`,
      );
      let last = started;
      let reported = started;
      while (!env.signal?.aborted && last < stopAt) {
        await sleep(TICK_MS, env.signal);
        const current = Math.min(now(), stopAt);
        summary.live += await send(model.callsBetween(last, current), 'live');
        last = current;
        if (current - reported >= 60_000) {
          log(`Live: ${summary.live.toLocaleString('en')} calls sent so far.`);
          reported = current;
        }
      }
    }
  } finally {
    await api
      .revokeApiKey(options.adminKey, created.id)
      .catch((error: unknown) => log(`Could not revoke the demo key: ${(error as Error).message}`));
  }
  return summary;
}
