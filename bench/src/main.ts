/**
 * `pnpm bench` (full, about 45 minutes on 2 cores) or `pnpm bench --quick` (a few minutes): Lumen against the
 * local PostgreSQL (DATABASE_URL, or a fresh database created on postgres://postgres@127.0.0.1:5432 and
 * dropped at the end). Prints a markdown table and writes JSON and markdown under bench/results/.
 */
import { randomBytes } from 'node:crypto';

import { buildIfStale } from '../../scripts/build-if-stale.mjs';
import { microseconds, type SidesCpu } from './cpu.js';
import { loadDataset, measureDashboard, withClient } from './dashboard.js';
import { copyIntoPlainTable, copyParts, copyRows, httpIngest, ingestLogs } from './ingest.js';
import { measureLive } from './live.js';
import { machine, markdown, save, timesText, type BenchResults } from './report.js';
import { createLogPartitions, measureRetention, swapInUnpartitioned } from './retention.js';
import { measureSearch } from './search.js';
import { startServer } from './server.js';
import { loadTraces, measureSingleSpanExport, measureSpanIngest, measureTraceQueries } from './traces.js';

const quick = process.argv.includes('--quick');
const plan = quick
  ? {
      ingest: 40_000,
      scales: [100_000, 1_000_000],
      iterations: 15,
      baselineIterations: 2,
      live: [1_000],
      ticks: 6,
      traceIngest: 2_000,
      traceSingle: 200,
      traceLoad: 10_000,
      retentionLogs: 200_000,
      embeddedIngest: 20_000,
    }
  : {
      ingest: 200_000,
      scales: [1_000_000, 10_000_000],
      iterations: 30,
      baselineIterations: 3,
      live: [1_000, 5_000, 10_000],
      ticks: 12,
      traceIngest: 10_000,
      traceSingle: 1_000,
      traceLoad: 100_000,
      retentionLogs: 2_000_000,
      embeddedIngest: 100_000,
    };
// `--only=traces` runs the traces lines alone (span ingestion batched and one span a request, trace(), traces(), sessions()); `--only=ingest`
// the ingest lines alone (the mutation over HTTP against COPY of the same rows into a plain table and into
// app_log, then on a server running the embedded database); `--only=dashboard` loads the
// datasets and times the dashboards; `--only=live` the live fan-out alone; `--only=retention` the retention
// line alone (dropping day partitions against the batched DELETE, `--retention-logs=N` rows over 60 days).
// `--compare-unpartitioned` also times each dashboard on the same rows in one plain table, swapped in.
const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const numbers = (text: string) => text.split(',').map((n) => Number(n.replace(/_/g, '')));
const only = option('only');
// `--scales=1000000` and `--live=10000` replace the plan's dataset sizes and subscriber counts.
if (option('scales')) plan.scales = numbers(option('scales')!);
if (option('live')) plan.live = numbers(option('live')!);
if (option('retention-logs')) plan.retentionLogs = numbers(option('retention-logs')!)[0]!;
const compareUnpartitioned = process.argv.includes('--compare-unpartitioned');
// The subscribers' sockets are spread over this many client processes (`--live-processes=N`).
const LIVE_PROCESSES = Number(option('live-processes') ?? 2);
const CLIENTS = 8;
const BATCH = 500;
const COPY_STREAMS = 2;
const LIVE_TICK_SECONDS = 1;
const DAY = 86_400_000;

const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let databaseUrl = process.env.DATABASE_URL;
let dropDatabase: (() => Promise<void>) | undefined;
if (!databaseUrl) {
  const name = `lumen_bench_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = () => withClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined);
}
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

try {
  buildIfStale();
  const postgres = await withClient(
    databaseUrl,
    async (client) => (await client.query('select version() as v')).rows[0].v.split(' on ')[0],
  );
  const server = await startServer(databaseUrl, { LIVE_METRICS_INTERVAL_SECONDS: String(LIVE_TICK_SECONDS) });
  const results: BenchResults = {
    mode: quick ? 'quick' : 'full',
    only,
    startedAt: new Date().toISOString(),
    machine: machine(postgres),
    ingest: undefined as never,
    loads: {},
    dashboards: [],
    live: { baseline: undefined as never, runs: [] },
  };
  try {
    if (only === 'traces') await measureTraces(server, results);
    if (!only || only === 'ingest') {
      log(`ingest: ${plan.ingest} logs over HTTP, then the same rows by COPY`);
      const warmup = ingestLogs(5_000, 'warm', 1);
      await httpIngest(server, warmup, BATCH, CLIENTS);
      const http = await httpIngest(server, ingestLogs(plan.ingest, 'http', 2), BATCH, CLIENTS);
      // The target's baseline: the same rows by COPY into a plain table with a unique key and three indexes.
      const plain = await copyIntoPlainTable(databaseUrl, copyParts(ingestLogs(plan.ingest, 'copy', 2), COPY_STREAMS));
      // For the record: the same rows by COPY into app_log itself (every index the mutation also pays).
      const copy = await copyRows(databaseUrl, copyParts(ingestLogs(plan.ingest, 'copy', 2), COPY_STREAMS));
      results.ingest = {
        ...http,
        copyRowsPerSecond: plain.rowsPerSecond,
        copyIntoAppLogRowsPerSecond: copy.rowsPerSecond,
        copyStreams: COPY_STREAMS,
      };
      log(
        `ingest ${Math.round(http.logsPerSecond)} logs/s (${http.retries} batches retried), COPY into a plain table ${Math.round(plain.rowsPerSecond)} rows/s, COPY into app_log ${Math.round(copy.rowsPerSecond)} rows/s, peak RSS ${Math.round(http.peakRssMb)} MB`,
      );
    }
    if (!only || only === 'ingest') {
      // The embedded database (PGlite, one session) the same way, on a server of its own.
      log(`ingest on the embedded database: ${plan.embeddedIngest} logs over HTTP`);
      const embedded = await startServer(null);
      try {
        await httpIngest(embedded, ingestLogs(5_000, 'warm', 1), BATCH, CLIENTS);
        results.embeddedIngest = await httpIngest(embedded, ingestLogs(plan.embeddedIngest, 'embedded', 3), BATCH, CLIENTS);
        log(
          `embedded: ${Math.round(results.embeddedIngest.logsPerSecond)} logs/s, peak RSS ${Math.round(results.embeddedIngest.peakRssMb)} MB`,
        );
      } finally {
        await embedded.stop();
      }
    }
    if (!only || only === 'dashboard') {
      await withClient(databaseUrl, (client) => client.query('truncate app_log, app_log_event, metric_rollup, metric_pending'));
      const now = Date.now();
      // A bulk load by COPY skips the server, so the days it fills get their partitions first, as the server's job would.
      await createLogPartitions(databaseUrl, now - 32 * DAY, now);
      let loaded = 0;
      for (const scale of plan.scales) {
        log(`loading ${scale - loaded} logs by COPY and rebuilding rollups`);
        // Each step adds its logs over the same 31 days, so the density grows with the scale.
        results.loads[`${scale}`] = await loadDataset(
          databaseUrl,
          scale - loaded,
          now - 31 * DAY,
          now - 60_000,
          100 + loaded,
          `load${scale}`,
        );
        loaded = scale;
        for (const days of [1, 30]) {
          log(`dashboard over ${days} days at ${scale} logs`);
          results.dashboards.push({
            logs: scale,
            ...(await measureDashboard(server, databaseUrl, days, plan.iterations, plan.baselineIterations)),
          });
        }
        if (compareUnpartitioned) {
          log(`swapping in the same ${scale} logs as one unpartitioned table`);
          const flat = await swapInUnpartitioned(databaseUrl);
          try {
            for (const days of [1, 30]) {
              log(`dashboard over ${days} days at ${scale} logs, unpartitioned`);
              results.unpartitionedDashboards ??= [];
              results.unpartitionedDashboards.push({
                logs: scale,
                ...(await measureDashboard(server, databaseUrl, days, plan.iterations, plan.baselineIterations)),
              });
            }
          } finally {
            await flat.restore();
          }
          // Partitioned again after the unpartitioned run (A, B, A), so that a drift of the machine or its
          // caches over the run does not count for or against either table.
          for (const days of [1, 30]) {
            log(`dashboard over ${days} days at ${scale} logs, partitioned again`);
            results.partitionedAgainDashboards ??= [];
            results.partitionedAgainDashboards.push({
              logs: scale,
              ...(await measureDashboard(server, databaseUrl, days, plan.iterations, plan.baselineIterations)),
            });
          }
        }
        if (scale === 1_000_000 && !only) {
          log(`search in prompts and responses at ${scale} logs`);
          results.search = await measureSearch(server, scale, plan.iterations);
        }
      }
    }
    if (!only || only === 'retention') {
      log(`retention: keep 30 days of ${plan.retentionLogs} logs over 60 days, partition drop vs batched DELETE`);
      results.retention = await measureRetention(databaseUrl, plan.retentionLogs, 60, 30);
      const r = results.retention;
      log(
        `retention of ${r.expired} logs: drop ${r.drop.seconds.toFixed(2)} s / ${r.drop.walBytes} B WAL, DELETE ${r.delete.seconds.toFixed(2)} s / ${r.delete.walBytes} B WAL`,
      );
    }
    if (!only) await measureTraces(server, results);
    if (!only || only === 'live') {
      log(`live fan-out (${LIVE_PROCESSES} client processes)`);
      results.live.baseline = await measureLive(server, 1, plan.ticks, LIVE_TICK_SECONDS, 1);
      for (const subscribers of plan.live) {
        const run = await measureLive(server, subscribers, plan.ticks, LIVE_TICK_SECONDS, LIVE_PROCESSES);
        log(
          `${subscribers} subscribers: tick to last receipt P50 ${run.timeToLast.p50} ms, P95 ${run.timeToLast.p95} ms, max ${run.timeToLastMax} ms, ${(run.delivered * 100).toFixed(1)} % delivered, server RSS ${Math.round(run.serverRssMb.peak)} MB`,
        );
        results.live.runs.push(run);
      }
    }
  } finally {
    await server.stop();
    const table = markdown(results);
    console.log(`\n${table}`);
    log(`results written to ${save(results, table)}.{json,md}`);
  }
} finally {
  await dropDatabase?.();
}

async function measureTraces(server: Awaited<ReturnType<typeof startServer>>, results: BenchResults) {
  log(
    `traces: in each of 3 rounds ${plan.traceIngest * 6} spans over OTLP/HTTP JSON, as many over protobuf, then the JSON spans' rows by COPY; then as many stored by the server's code without HTTP`,
  );
  const ingest = await measureSpanIngest(server, databaseUrl!, plan.traceIngest, CLIENTS, BATCH);
  const protobuf = ingest.protobuf!;
  for (const [i, round] of ingest.rounds!.entries()) {
    log(
      `round ${i + 1}: JSON ${Math.round(round.json)} spans/s, protobuf ${Math.round(round.protobuf)}/s, COPY ${Math.round(round.copy)} rows/s (${timesText(round.json / round.copy)}, ${timesText(round.protobuf / round.copy)}); COPY of every row written ${Math.round(round.copyOfWrites!)} spans' rows/s (JSON ${timesText(round.json / round.copyOfWrites!)} of it; it is ${timesText(round.copyOfWrites! / round.copy)} of the span rows' COPY)`,
    );
  }
  log(
    `medians: spans over JSON ${Math.round(ingest.spansPerSecond)}/s, over protobuf ${Math.round(protobuf.spansPerSecond)}/s, COPY ${Math.round(ingest.copyRowsPerSecond)} rows/s (${timesText(ingest.spansPerSecond / ingest.copyRowsPerSecond)}, ${timesText(protobuf.spansPerSecond / ingest.copyRowsPerSecond)})`,
  );
  const cpu = ingest.cpu!;
  const perSpan = (c: SidesCpu) =>
    `server ${microseconds(c.server)}, PostgreSQL ${microseconds(c.postgres)}, client ${microseconds(c.client)}`;
  log(
    `CPU per span over JSON: ${perSpan(cpu)}; over protobuf: ${perSpan(protobuf.cpu)}; per COPY row: PostgreSQL ${microseconds(cpu.copyPostgres)}, client ${microseconds(cpu.copyClient)}`,
  );
  const writes = ingest.copyOfWrites!;
  log(
    `a raw COPY of every row each round's JSON line wrote (${writes.rows} rows), median: ${Math.round(writes.spansPerSecond)} spans' rows/s (JSON ${timesText(ingest.spansPerSecond / writes.spansPerSecond)} of it; it is ${timesText(writes.spansPerSecond / ingest.copyRowsPerSecond)} of the span rows' COPY); CPU per span: PostgreSQL ${microseconds(writes.cpu.postgres)}, client ${microseconds(writes.cpu.client)}`,
  );
  const storePath = ingest.storePath!;
  log(
    `the server's step after decoding alone: ${Math.round(storePath.spansPerSecond)} spans/s (${timesText(storePath.spansPerSecond / ingest.copyRowsPerSecond)} COPY); CPU per span: process ${microseconds(storePath.cpu.process)}, PostgreSQL ${microseconds(storePath.cpu.postgres)}`,
  );
  log(`traces: ${plan.traceSingle * 6} spans one a request over protobuf, as Dify exports`);
  const single = await measureSingleSpanExport(server, databaseUrl!, plan.traceSingle, CLIENTS);
  log(`one span a request: ${Math.round(single.spansPerSecond)} spans/s; CPU per request ${perSpan(single.cpu)}`);
  log(`traces: loading ${plan.traceLoad * 10} spans in SQL`);
  await loadTraces(databaseUrl!, plan.traceLoad);
  const queries = await measureTraceQueries(server, databaseUrl!, plan.traceLoad, plan.iterations);
  log(
    `trace() P95 ${queries.trace.p95.toFixed(1)} ms, traces() ${queries.tracesPage.p95.toFixed(1)} ms, sessions() ${queries.sessionsPage.p95.toFixed(1)} ms, log(id) ${queries.logDetail!.p95.toFixed(1)} ms`,
  );
  // A server that has run for a year has a day partition of logs and of spans for each day of it; the
  // same queries again once the 11 months before the loaded one have theirs (empty).
  log('traces: a year of day partitions before the loaded month');
  const yearAgo = Date.now() - 365 * DAY;
  await createLogPartitions(databaseUrl!, yearAgo, Date.now() - 32 * DAY, 'app_log');
  await createLogPartitions(databaseUrl!, yearAgo, Date.now() - 32 * DAY, 'span');
  const aged = await measureTraceQueries(server, databaseUrl!, plan.traceLoad, plan.iterations);
  log(
    `over a year of partitions: trace() P95 ${aged.trace.p95.toFixed(1)} ms, traces() ${aged.tracesPage.p95.toFixed(1)} ms, sessions() ${aged.sessionsPage.p95.toFixed(1)} ms, log(id) ${aged.logDetail!.p95.toFixed(1)} ms`,
  );
  results.traces = { ingest, single, queries, aged };
}
