import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { percentiles, type Percentiles } from './dashboard.js';
import { gql, type BenchServer } from './server.js';

const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'live-client.ts');
const INGEST = 'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted } }';
const QUERY = 'subscription { liveMetrics(windowSeconds: 60) { at summary { requestCount latencyP95 totalCost } } }';

export interface LiveResult {
  subscribers: number;
  ticks: number;
  /** Client processes holding the sockets (each `subscribers / processes` of them, one socket per subscriber). */
  processes: number;
  /** Per tick: from the tick to the last subscriber receiving it. */
  timeToLast: Percentiles;
  /** The slowest tick's time to the last subscriber. */
  timeToLastMax: number;
  /** Per subscriber and tick: from the tick to that subscriber receiving it. */
  perSubscriber: Percentiles;
  /** Share of (tick, subscriber) deliveries that arrived. */
  delivered: number;
  /** The server's resident memory: before the subscribers connect, and the most seen while they listen. */
  serverRssMb: { idle: number; peak: number };
}

/**
 * `subscribers` liveMetrics subscribers (one socket each, spread over `processes` client processes)
 * share one feed; a log is ingested every tick so that every tick changes the snapshot. The server
 * ticks every LIVE_METRICS_INTERVAL_SECONDS.
 */
export async function measureLive(
  server: BenchServer,
  subscribers: number,
  ticks: number,
  tickSeconds: number,
  processes = 2,
): Promise<LiveResult> {
  const sizes = Array.from(
    { length: processes },
    (_, i) => Math.floor(subscribers / processes) + (i < subscribers % processes ? 1 : 0),
  ).filter((n) => n > 0);
  const idleRss = server.rssMb();
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssMb())), 100);
  const children = sizes.map((n) =>
    fork(CLIENT, [server.url, server.adminKey, String(n), QUERY], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
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
    const from = Date.now();
    for (const child of children) child.send({ type: 'measure', from });
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
      for (const [at, delays] of Object.entries(report.ticks as Record<string, number[]>)) {
        const list = byTick.get(at) ?? [];
        for (const delay of delays) list.push(delay);
        byTick.set(at, list);
      }
    }
    const complete = [...byTick.values()];
    const delivered = complete.reduce((sum, list) => sum + list.length, 0) / (Math.max(1, complete.length) * subscribers);
    const lasts = complete.map((list) => list.reduce((max, delay) => Math.max(max, delay), 0));
    return {
      subscribers,
      ticks: complete.length,
      processes: sizes.length,
      timeToLast: percentiles(lasts),
      timeToLastMax: Math.max(0, ...lasts),
      perSubscriber: percentiles(complete.flat()),
      delivered,
      serverRssMb: { idle: idleRss, peak: peakRss },
    };
  } finally {
    clearInterval(sampler);
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}
