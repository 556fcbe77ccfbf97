import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { percentiles, type Percentiles } from './dashboard.js';
import { gql, type BenchServer } from './server.js';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'live-client.ts');
const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';

export interface LiveResult {
  subscribers: number;
  ticks: number;
  /** Per tick: from the tick to the last subscriber receiving it. */
  timeToLast: Percentiles;
  /** Per subscriber and tick: from the tick to that subscriber receiving it. */
  perSubscriber: Percentiles;
  /** Share of (tick, subscriber) deliveries that arrived. */
  delivered: number;
}

/**
 * `subscribers` graphql-ws clients (in `workers` processes) share one liveMetrics feed; a log is ingested
 * every tick so that every tick changes the snapshot. The server ticks every LIVE_METRICS_INTERVAL_SECONDS.
 */
export async function measureLive(
  server: BenchServer,
  subscribers: number,
  ticks: number,
  tickSeconds: number,
  workers = 2,
): Promise<LiveResult> {
  const sizes = Array.from({ length: workers }, (_, i) => Math.floor(subscribers / workers) + (i < subscribers % workers ? 1 : 0)).filter(
    (n) => n > 0,
  );
  const children = sizes.map((n) =>
    fork(CLIENT, [server.url, server.adminKey, String(n)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const message = (child: (typeof children)[number], type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const listener = (m: Record<string, unknown>) => {
        if (m.type === 'error') reject(new Error(String(m.error)));
        if (m.type === type) {
          child.off('message', listener);
          resolve(m);
        }
      };
      child.on('message', listener);
      child.once('exit', (code) => reject(new Error(`live client exited (${code})`)));
    });
  await Promise.all(children.map((child) => message(child, 'ready')));
  for (let tick = 0; tick < ticks; tick++) {
    await gql(server.url, server.adminKey, INGEST, {
      logs: [{ appId: 'live-bench', provider: 'openai', model: 'gpt-4o', latencyMs: 500 + tick, inputTokens: 10, outputTokens: 5 }],
    });
    await new Promise((resolve) => setTimeout(resolve, tickSeconds * 1000));
  }
  // Let the last tick arrive everywhere.
  await new Promise((resolve) => setTimeout(resolve, 2 * tickSeconds * 1000));
  const reports = await Promise.all(
    children.map((child) => {
      const reply = message(child, 'report');
      child.send({ type: 'report' });
      return reply;
    }),
  );
  const byTick = new Map<string, number[]>();
  for (const report of reports) {
    for (const [at, delays] of Object.entries(report.ticks as Record<string, number[]>))
      byTick.set(at, [...(byTick.get(at) ?? []), ...delays]);
  }
  const complete = [...byTick.values()];
  const delivered = complete.reduce((sum, list) => sum + list.length, 0) / (Math.max(1, complete.length) * subscribers);
  return {
    subscribers,
    ticks: complete.length,
    timeToLast: percentiles(complete.map((list) => Math.max(...list))),
    perSubscriber: percentiles(complete.flat()),
    delivered,
  };
}
