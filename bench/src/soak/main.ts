/**
 * `pnpm soak`: three replicas of the built server on one PostgreSQL and one Redis, behind a
 * round-robin proxy, under ingest, live subscribers and alert rules that breach and clear, while a
 * random replica is killed (SIGKILL) every 20-40 s and PostgreSQL itself restarts once. Then it checks
 * that nothing acknowledged was lost or doubled, that rollups equal the logs, that every breach made
 * one alert record and one notification, that every subscriber came back, and that memory stayed bounded.
 *
 * It lives in the bench package rather than scripts/ because it needs what the bench already depends on
 * (pg, graphql-ws, ws, @lumen/testkit, tsx) and is, like the bench, a long run against the built server
 * kept out of `pnpm test`.
 *
 * Settings (environment): SOAK_SECONDS (180), SOAK_REPLICAS (3), SOAK_CLIENTS (4), SOAK_BATCH (50),
 * SOAK_PAUSE_MS (100, between a client's batches), SOAK_SUBSCRIBERS (6), SOAK_RULES (2),
 * SOAK_RSS_LIMIT_MB (400), SOAK_SEED, SOAK_RESTART_POSTGRES ('false' skips the PostgreSQL restart),
 * SOAK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres), SOAK_REDIS_URL (redis://127.0.0.1:6379/0).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { logInput, Random, startLumenProcess, type LumenProcess } from '@lumen/testkit';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';

import { RoundRobinProxy } from './proxy.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SECONDS = Number(env('SOAK_SECONDS', '180'));
const REPLICAS = Number(env('SOAK_REPLICAS', '3'));
const CLIENTS = Number(env('SOAK_CLIENTS', '4'));
const BATCH = Number(env('SOAK_BATCH', '50'));
const PAUSE_MS = Number(env('SOAK_PAUSE_MS', '100'));
const SUBSCRIBERS = Number(env('SOAK_SUBSCRIBERS', '6'));
const RULES = Number(env('SOAK_RULES', '2'));
const RSS_LIMIT_MB = Number(env('SOAK_RSS_LIMIT_MB', '400'));
const SEED = Number(env('SOAK_SEED', String(Date.now() % 1_000_000)));
const RESTART_POSTGRES = env('SOAK_RESTART_POSTGRES', 'true') !== 'false';
const ADMIN_URL = env('SOAK_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const REDIS_URL = env('SOAK_REDIS_URL', 'redis://127.0.0.1:6379/0');

const EVAL_SECONDS = 2;
const BACKOFF_SECONDS = 1;
const BACKOFF_MAX_SECONDS = 4;
const MAX_ATTEMPTS = 6;
const WINDOW_MINUTES = 1;
const APP = 'soak';

const random = new Random(SEED);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const say = (message: string) => console.log(`[soak ${elapsed()}] ${message}`);

// ---------------------------------------------------------------- private database

const databaseName = `lumen_soak_${process.pid}_${Date.now()}`;
const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${databaseName}`);
const adminKey = `lmn_soak_admin_${randomUUID()}`;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- replicas

interface Replica {
  name: string;
  process: LumenProcess | null;
  maxRssMb: number;
  starts: number;
}

const proxy = new RoundRobinProxy();
const replicas: Replica[] = Array.from({ length: REPLICAS }, (_, i) => ({ name: `r${i + 1}`, process: null, maxRssMb: 0, starts: 0 }));
let kills = 0;

async function startReplica(replica: Replica): Promise<void> {
  replica.process = await startLumenProcess({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '8',
    REDIS_URL,
    LUMEN_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
    ALERT_EVAL_INTERVAL_SECONDS: String(EVAL_SECONDS),
    ALERT_DELIVERY_BACKOFF_SECONDS: String(BACKOFF_SECONDS),
    ALERT_DELIVERY_BACKOFF_MAX_SECONDS: String(BACKOFF_MAX_SECONDS),
    ALERT_DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_SECONDS: '5',
    LIVE_METRICS_INTERVAL_SECONDS: '1',
    RATE_LIMIT_INGEST_PER_SECOND: '0',
    RATE_LIMIT_READ_PER_SECOND: '0',
    SHUTDOWN_GRACE_SECONDS: '2',
  });
  replica.starts++;
  proxy.setBackend(replica.name, Number(new URL(replica.process.url).port));
}

async function killReplica(replica: Replica): Promise<void> {
  const victim = replica.process;
  if (!victim) return;
  proxy.setBackend(replica.name, null);
  replica.process = null;
  victim.child.kill('SIGKILL');
  await victim.stop(5_000).catch(() => undefined); // reaps it and removes its data directory
  kills++;
}

function sampleRss(): void {
  for (const replica of replicas) {
    const pid = replica.process?.child.pid;
    if (!pid) continue;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) replica.maxRssMb = Math.max(replica.maxRssMb, Number(match[1]) / 1024);
    } catch {
      // the process just exited
    }
  }
}

// ---------------------------------------------------------------- GraphQL over the proxy

let base = '';

/** One request on a fresh connection, so the proxy spreads requests round-robin. */
function post(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}`, 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(body);
  });
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { status, text } = await post(JSON.stringify({ query, variables }));
  const parsed = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (status !== 200 || !parsed.data || parsed.errors) throw new Error(`HTTP ${status}: ${text.slice(0, 300)}`);
  return parsed.data;
}

/** Retries until acknowledged: the same variables (and so the same ids) each time. */
async function untilAcknowledged<T>(query: string, variables: Record<string, unknown>, retries: { n: number }): Promise<T> {
  for (;;) {
    try {
      return await gql<T>(query, variables);
    } catch {
      retries.n++;
      await sleep(200 + random.int(0, 300));
    }
  }
}

// ---------------------------------------------------------------- ingest clients

const INGEST = `mutation Ingest($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted duplicates rejected { index message } eventIds } }`;
const acked = new Set<string>();
const ingestFigures = { batches: 0, retries: { n: 0 }, replays: 0, accepted: 0, duplicatesReported: 0, rejected: 0 };

async function ingestClient(stop: () => boolean): Promise<void> {
  let previous: Record<string, unknown>[] | null = null;
  while (!stop()) {
    // Now and then an already acknowledged batch again, as a client that never saw the answer would.
    const replay = previous !== null && random.chance(0.05);
    const logs: Record<string, unknown>[] = replay
      ? previous!
      : Array.from({ length: BATCH }, () =>
          logInput({
            appId: APP,
            userId: `user-${random.int(1, 50)}`,
            model: random.pick(['gpt-4o', 'gpt-4o-mini', 'claude-sonnet']),
            latencyMs: random.int(50, 3000),
          }),
        );
    const result = await untilAcknowledged<{
      ingestLogs: { accepted: number; duplicates: number; rejected: unknown[]; eventIds: (string | null)[] };
    }>(INGEST, { logs }, ingestFigures.retries);
    const outcome = result.ingestLogs;
    ingestFigures.batches++;
    ingestFigures.accepted += outcome.accepted;
    ingestFigures.duplicatesReported += outcome.duplicates;
    ingestFigures.rejected += outcome.rejected.length;
    if (replay) ingestFigures.replays++;
    for (const id of outcome.eventIds) if (id) acked.add(id);
    previous = logs;
    await sleep(PAUSE_MS);
  }
}

// ---------------------------------------------------------------- live subscribers

interface Subscriber {
  client: Client;
  connects: number;
  ticks: number;
  ticksSinceConnect: number;
  lastConnectAt: number;
  errors: number;
}
const LIVE = `subscription { liveMetrics(windowSeconds: 60, filter: { appId: "${APP}" }) { at summary { requestCount } } }`;

function startSubscriber(): Subscriber {
  const subscriber: Subscriber = {
    client: null as unknown as Client,
    connects: 0,
    ticks: 0,
    ticksSinceConnect: 0,
    lastConnectAt: 0,
    errors: 0,
  };
  subscriber.client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${adminKey}` },
    lazy: false,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    retryWait: async () => {
      await sleep(300 + random.int(0, 700));
    },
    onNonLazyError: () => undefined,
    on: {
      connected: () => {
        subscriber.connects++;
        subscriber.ticksSinceConnect = 0;
        subscriber.lastConnectAt = Date.now();
      },
    },
  });
  subscriber.client.subscribe(
    { query: LIVE },
    {
      next: () => {
        subscriber.ticks++;
        subscriber.ticksSinceConnect++;
      },
      error: () => subscriber.errors++,
      complete: () => undefined,
    },
  );
  return subscriber;
}

// ---------------------------------------------------------------- alerts and the webhook receiver

interface Receipt {
  deliveryId: string;
  type: string;
  alertId: string;
  at: number;
}
const receipts: Receipt[] = [];

async function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { deliveryId: string; type: string; alert: { id: string } };
        receipts.push({ deliveryId: body.deliveryId, type: body.type, alertId: body.alert.id, at: Date.now() });
      } catch {
        // counted as nothing: not a Lumen webhook
      }
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Rule {
  id: string;
  appId: string;
  /** When each breach was caused (the negative feedback acknowledged). */
  breaches: number[];
}
const alertRetries = { n: 0 };

const CREATE_RULE = `mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }`;
const SUBMIT_FEEDBACK = `mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }`;

/**
 * Each rule watches the negative feedback rate of its own app over one minute. A breach is two thumbs
 * down; the rule clears by itself when they leave the window (no samples, no breach), and the next
 * breach comes only after that, so every breach is one FIRING then RESOLVED transition.
 */
async function alertDriver(rule: Rule, offsetMs: number, stop: () => boolean): Promise<void> {
  await sleep(offsetMs);
  while (!stop()) {
    for (let i = 0; i < 2; i++)
      await untilAcknowledged(
        SUBMIT_FEEDBACK,
        { input: { feedbackId: randomUUID(), appId: rule.appId, rating: 'NEGATIVE' } },
        alertRetries,
      );
    rule.breaches.push(Date.now());
    // The window empties after a minute; one more evaluation (and a margin) resolves it.
    const until = Date.now() + WINDOW_MINUTES * 60_000 + (EVAL_SECONDS + 6) * 1000;
    while (Date.now() < until) await sleep(500);
  }
}

// ---------------------------------------------------------------- faults

async function chaos(stop: () => boolean, postgresRestartAt: number): Promise<{ postgresRestarts: number }> {
  let postgresRestarts = 0;
  let nextKill = Date.now() + random.int(20_000, 40_000);
  while (!stop()) {
    await sleep(250);
    sampleRss();
    if (RESTART_POSTGRES && postgresRestarts === 0 && Date.now() >= postgresRestartAt) {
      const version = readdirSync('/etc/postgresql')[0]!;
      say(`restarting PostgreSQL ${version}`);
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'inherit', timeout: 120_000 });
      postgresRestarts++;
      say('PostgreSQL is back');
    }
    if (Date.now() >= nextKill) {
      const victim = random.pick(replicas.filter((replica) => replica.process));
      say(`kill -9 ${victim.name}`);
      await killReplica(victim);
      await sleep(random.int(500, 2000));
      await startReplica(victim);
      say(`${victim.name} restarted`);
      nextKill = Date.now() + random.int(20_000, 40_000);
    }
  }
  return { postgresRestarts };
}

// ---------------------------------------------------------------- the run

async function main(): Promise<void> {
  say(`seed ${SEED}, ${SECONDS}s, ${REPLICAS} replicas, ${CLIENTS} ingest clients of ${BATCH}, ${SUBSCRIBERS} subscribers, ${RULES} rules`);
  await adminQuery(`create database "${databaseName}"`);
  const receiver = await startReceiver();
  const port = await proxy.listen();
  base = `http://127.0.0.1:${port}`;
  const subscribers: Subscriber[] = [];
  const failures: string[] = [];
  try {
    // The first replica migrates the new database; the others then start together.
    await startReplica(replicas[0]!);
    await Promise.all(replicas.slice(1).map(startReplica));
    say(`replicas up behind ${base}`);

    const rules: Rule[] = [];
    for (let i = 0; i < RULES; i++) {
      const appId = `${APP}-alert-${i + 1}`;
      const { createAlertRule } = await gql<{ createAlertRule: { id: string } }>(CREATE_RULE, {
        input: {
          name: `Soak ${i + 1}`,
          metric: 'NEGATIVE_FEEDBACK_RATE',
          operator: 'GT',
          threshold: '0.5',
          windowMinutes: WINDOW_MINUTES,
          minSamples: 1,
          cooldownMinutes: 0,
          appId,
          webhookUrl: receiver.url,
        },
      });
      rules.push({ id: createAlertRule.id, appId, breaches: [] });
    }
    for (let i = 0; i < SUBSCRIBERS; i++) subscribers.push(startSubscriber());

    const endAt = Date.now() + SECONDS * 1000;
    const stop = () => Date.now() >= endAt;
    // Breaches start no later than they can still clear and be checked before the end.
    const lastBreachAt = endAt - (WINDOW_MINUTES * 60 + EVAL_SECONDS + 6) * 1000;
    const stopBreaches = () => Date.now() >= lastBreachAt;
    const postgresRestartAt = started + random.int(Math.floor(SECONDS * 0.4), Math.floor(SECONDS * 0.6)) * 1000;
    const [faults] = await Promise.all([
      chaos(stop, postgresRestartAt),
      ...Array.from({ length: CLIENTS }, () => ingestClient(stop)),
      ...rules.map((rule, i) => alertDriver(rule, (i * 60_000) / Math.max(1, RULES) / 2, stopBreaches)),
    ]);
    say(`load stopped: ${ingestFigures.batches} batches acknowledged, ${acked.size} logs, ${kills} kills`);

    // Every subscriber must see ticks after its last reconnection: ingest a little more so snapshots change.
    const tickDeadline = Date.now() + 30_000;
    while (Date.now() < tickDeadline && subscribers.some((s) => s.ticksSinceConnect < 2)) {
      const logs = Array.from({ length: 5 }, () => logInput({ appId: APP }));
      const result = await untilAcknowledged<{ ingestLogs: { eventIds: (string | null)[] } }>(INGEST, { logs }, ingestFigures.retries);
      for (const id of result.ingestLogs.eventIds) if (id) acked.add(id);
      await sleep(1000);
    }
    sampleRss();

    // The last breach resolves within the window plus an evaluation; deliveries within their backoff.
    const deliveryBound = (EVAL_SECONDS * 2 + BACKOFF_MAX_SECONDS * MAX_ATTEMPTS + 15) * 1000;
    await sleep(Math.min(deliveryBound, 20_000));

    // ------------------------------------------------------------ checks
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // Rollups are folded every couple of seconds; wait for the pending rows to be moved.
      for (let i = 0; i < 60; i++) {
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from metric_pending');
        if (rows[0]!.n === 0) break;
        await sleep(500);
      }
      const stored = await db.query<{ event_id: string; n: number }>(
        `select event_id, count(*)::int as n from app_log where app_id = $1 group by event_id`,
        [APP],
      );
      const storedIds = new Map(stored.rows.map((row) => [row.event_id, row.n]));
      const duplicated = stored.rows.filter((row) => row.n > 1).length;
      const lost = [...acked].filter((id) => !storedIds.has(id)).length;
      const unacknowledgedStored = stored.rows.length - [...acked].filter((id) => storedIds.has(id)).length;
      const { rows: logCount } = await db.query<{ n: string }>(`select count(*)::text as n from app_log`);
      const { rows: rollup } = await db.query<{ grain: string; n: string }>(
        `select grain, sum(requests)::text as n from metric_rollup where dim = 'all' group by grain order by grain`,
      );
      const { rows: pending } = await db.query<{ n: string }>(`select coalesce(sum(requests), 0)::text as n from metric_pending`);
      if (lost) failures.push(`${lost} acknowledged logs are missing`);
      if (duplicated) failures.push(`${duplicated} eventIds are stored more than once`);
      for (const row of rollup)
        if (BigInt(row.n) + BigInt(pending[0]!.n) !== BigInt(logCount[0]!.n))
          failures.push(`${row.grain} rollups count ${row.n} (+${pending[0]!.n} pending) calls, app_log holds ${logCount[0]!.n}`);
      if (rollup.length !== 2) failures.push(`rollups have grains ${rollup.map((row) => row.grain).join(', ')}`);

      // Alerts: per rule, one record per breach, each with one FIRED and one RESOLVED notification.
      let records = 0;
      let firedNotifications = 0;
      let resolvedNotifications = 0;
      let redeliveries = 0;
      let worstFireMs = 0;
      let worstNotifyMs = 0;
      const receivedIds = new Map<string, number>();
      for (const receipt of receipts) receivedIds.set(receipt.deliveryId, (receivedIds.get(receipt.deliveryId) ?? 0) + 1);
      for (const n of receivedIds.values()) redeliveries += n - 1;
      for (const rule of rules) {
        const { rows } = await db.query<{ id: string; status: string; fired_at: Date; resolved_at: Date | null }>(
          `select id, status, fired_at, resolved_at from alert_record where rule_id = $1 order by fired_at`,
          [rule.id],
        );
        records += rows.length;
        if (rows.length !== rule.breaches.length)
          failures.push(`rule ${rule.appId}: ${rule.breaches.length} breaches made ${rows.length} alert records`);
        rows.forEach((record, index) => {
          const breachAt = rule.breaches[index];
          if (breachAt !== undefined) worstFireMs = Math.max(worstFireMs, record.fired_at.getTime() - breachAt);
          if (record.status !== 'RESOLVED') failures.push(`rule ${rule.appId}: record ${record.id} is still ${record.status}`);
          const distinct = (type: string) =>
            new Set(receipts.filter((r) => r.alertId === record.id && r.type === type).map((r) => r.deliveryId)).size;
          const fired = distinct('alert.fired');
          const resolved = distinct('alert.resolved');
          firedNotifications += fired;
          resolvedNotifications += resolved;
          if (fired !== 1) failures.push(`record ${record.id}: ${fired} alert.fired notifications`);
          if (resolved !== 1) failures.push(`record ${record.id}: ${resolved} alert.resolved notifications`);
          const first = receipts.find((r) => r.alertId === record.id && r.type === 'alert.fired');
          if (first && breachAt !== undefined) worstNotifyMs = Math.max(worstNotifyMs, first.at - breachAt);
        });
      }
      const fireBound = (EVAL_SECONDS * 2 + 10) * 1000; // one interval, a handover of the lock, a restart
      if (worstFireMs > fireBound) failures.push(`an alert fired ${worstFireMs} ms after its breach (bound ${fireBound} ms)`);
      if (worstNotifyMs > fireBound + deliveryBound)
        failures.push(`a notification arrived ${worstNotifyMs} ms after its breach (bound ${fireBound + deliveryBound} ms)`);

      const reconnected = subscribers.filter((s) => s.connects > 1).length;
      for (const [i, s] of subscribers.entries())
        if (s.ticksSinceConnect < 1) failures.push(`subscriber ${i + 1} saw no tick after its last connection (${s.connects} connections)`);
      if (reconnected === 0 && kills > 0) failures.push('no subscriber had to reconnect: the kills did not reach them');
      for (const replica of replicas)
        if (replica.maxRssMb > RSS_LIMIT_MB) failures.push(`${replica.name} reached ${replica.maxRssMb.toFixed(0)} MB RSS`);

      const figures = {
        seed: SEED,
        seconds: SECONDS,
        replicaKills: kills,
        postgresRestarts: faults.postgresRestarts,
        logsAcknowledged: acked.size,
        logsStored: stored.rows.length,
        storedNotAcknowledged: unacknowledgedStored,
        lost,
        duplicated,
        batches: ingestFigures.batches,
        batchRetries: ingestFigures.retries.n,
        replayedBatches: ingestFigures.replays,
        duplicatesReportedByServer: ingestFigures.duplicatesReported,
        rollupRequests: Object.fromEntries(rollup.map((row) => [row.grain, Number(row.n)])),
        breaches: rules.reduce((n, rule) => n + rule.breaches.length, 0),
        alertRecords: records,
        firedNotifications,
        resolvedNotifications,
        webhookRedeliveries: redeliveries,
        worstFireMs,
        worstNotifyMs,
        subscribers: subscribers.length,
        subscribersReconnected: reconnected,
        subscriberConnections: subscribers.reduce((n, s) => n + s.connects, 0),
        ticks: subscribers.reduce((n, s) => n + s.ticks, 0),
        maxRssMb: Object.fromEntries(replicas.map((replica) => [replica.name, Math.round(replica.maxRssMb)])),
        proxyConnections: proxy.connections,
      };
      console.log('\nSoak figures');
      console.log(JSON.stringify(figures, null, 2));
    } finally {
      await db.end();
    }
  } finally {
    for (const subscriber of subscribers) await subscriber.client.dispose();
    for (const replica of replicas) await replica.process?.stop(10_000).catch(() => replica.process?.child.kill('SIGKILL'));
    await proxy.close();
    await receiver.close();
    await adminQuery(`drop database if exists "${databaseName}" with (force)`).catch((error: unknown) =>
      console.error(`could not drop ${databaseName}: ${(error as Error).message}`),
    );
  }
  if (failures.length) {
    console.log(`\nSOAK FAILED (${failures.length}):\n- ${failures.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nSOAK PASSED');
  }
}

await main();
