import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { microseconds, type SidesCpu } from './cpu.js';
import type { DashboardResult, Percentiles } from './dashboard.js';
import type { IngestResult } from './ingest.js';
import type { LiveResult } from './live.js';
import type { RetentionResult } from './retention.js';
import type { SearchResult } from './search.js';
import { ROOT } from './server.js';
import type { SingleSpanExportResult, SpanIngestResult, TraceQueriesResult } from './traces.js';

export interface BenchResults {
  mode: 'full' | 'quick';
  /** The part run alone (`--only=`), if any. */
  only?: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  /**
   * copyRowsPerSecond: COPY of the same rows into a plain table with a unique key and three indexes (the
   * target's baseline); copyIntoAppLogRowsPerSecond: into app_log itself, every index included.
   */
  ingest: IngestResult & { copyRowsPerSecond: number; copyIntoAppLogRowsPerSecond?: number; copyStreams: number };
  /** ingestLogs over HTTP on a server running the embedded database (PGlite). */
  embeddedIngest?: IngestResult;
  loads: Record<string, { copyRowsPerSecond: number; copySeconds: number; rebuildSeconds: number; totalSeconds: number }>;
  dashboards: (DashboardResult & { logs: number })[];
  /** The same dashboards on the same rows in one plain table (`--compare-unpartitioned`). */
  unpartitionedDashboards?: (DashboardResult & { logs: number })[];
  /** The partitioned dashboards measured again after the unpartitioned ones (A, B, A). */
  partitionedAgainDashboards?: (DashboardResult & { logs: number })[];
  retention?: RetentionResult;
  live: { baseline: LiveResult; runs: LiveResult[] };
  /** `single` is absent in runs from before it was measured. */
  /** aged: the same queries once a year of (empty) day partitions precedes the loaded month (absent in runs from before it was measured). */
  traces?: { ingest: SpanIngestResult; single?: SingleSpanExportResult; queries: TraceQueriesResult; aged?: TraceQueriesResult };
  search?: SearchResult;
}

/** A ratio as the report and the log print it: two decimals and an x. */
export const timesText = (ratio: number) => `${ratio.toFixed(2)}x`;
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const pair = (p: Percentiles) => `${ms(p.p50)} / ${ms(p.p95)}`;
const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const speed = (ratio: number) => (ratio >= 1 ? `${ratio.toFixed(1)}x faster` : `${(1 / ratio).toFixed(1)}x slower`);
const check = (ok: boolean) => (ok ? 'met' : '**missed**');

export function markdown(r: BenchResults): string {
  const rows: string[][] = [];
  const ratio = r.ingest ? r.ingest.logsPerSecond / r.ingest.copyRowsPerSecond : 0;
  if (r.ingest)
    rows.push([
      `ingest over HTTP (${r.ingest.clients} clients, batches of ${r.ingest.batchSize}, ~${Math.round(r.ingest.bytesPerLog)} B/log, ${count(r.ingest.logs)} logs)`,
      `${Math.round(r.ingest.logsPerSecond).toLocaleString('en')} logs/s`,
      `raw COPY into a plain table, unique key + 3 indexes (${r.ingest.copyStreams} streams): ${Math.round(r.ingest.copyRowsPerSecond).toLocaleString('en')} rows/s`,
      timesText(ratio),
      '>= 30,000 logs/s and >= 0.7x',
      check(r.ingest.logsPerSecond >= 30_000 && ratio >= 0.7),
    ]);
  if (r.ingest?.copyIntoAppLogRowsPerSecond)
    rows.push([
      'the same ingest against COPY into app_log itself (partitioned, every index the mutation pays)',
      `${Math.round(r.ingest.logsPerSecond).toLocaleString('en')} logs/s`,
      `raw COPY into app_log (${r.ingest.copyStreams} streams): ${Math.round(r.ingest.copyIntoAppLogRowsPerSecond).toLocaleString('en')} rows/s`,
      timesText(r.ingest.logsPerSecond / r.ingest.copyIntoAppLogRowsPerSecond),
      '',
      '',
    ]);
  if (r.embeddedIngest)
    rows.push([
      `ingest over HTTP on the embedded database, PGlite (${r.embeddedIngest.clients} clients, batches of ${r.embeddedIngest.batchSize}, ${count(r.embeddedIngest.logs)} logs)`,
      `${Math.round(r.embeddedIngest.logsPerSecond).toLocaleString('en')} logs/s`,
      '',
      '',
      '>= 10,000 logs/s',
      check(r.embeddedIngest.logsPerSecond >= 10_000),
    ]);
  for (const d of r.dashboards) {
    const target = d.days === 30 && d.logs >= 10_000_000;
    // Every view: the whole dashboard (three queries) no slower than the one exact summary query, at P50.
    const notSlower = d.load.p50 <= d.baseline.p50;
    rows.push([
      `dashboard ${d.days} day${d.days > 1 ? 's' : ''} at ${count(d.logs)} logs: summary + series + breakdown, P50 / P95`,
      pair(d.load),
      `exact percentile_cont summary: ${pair(d.baseline)}`,
      speed(d.baseline.p50 / d.load.p50),
      target ? 'not slower than exact; P95 <= 100 ms' : 'not slower than exact',
      check(notSlower && (!target || d.load.p95 <= 100)),
    ]);
    rows.push([
      `percentile error, ${d.days} day${d.days > 1 ? 's' : ''} at ${count(d.logs)} (P50, P95, P99 vs percentile_cont)`,
      `${(d.percentileError.p50 * 100).toFixed(3)} %, ${(d.percentileError.p95 * 100).toFixed(3)} %, ${(d.percentileError.p99 * 100).toFixed(3)} %`,
      `counts, tokens, cost ${d.countsExact ? 'equal' : '**differ**'}`,
      '',
      '<= 1 %',
      check(d.percentileError.max <= 0.01 && d.countsExact),
    ]);
  }
  for (const flat of r.unpartitionedDashboards ?? []) {
    const partitioned = r.dashboards.find((d) => d.logs === flat.logs && d.days === flat.days);
    if (!partitioned) continue;
    const again = r.partitionedAgainDashboards?.find((d) => d.logs === flat.logs && d.days === flat.days);
    // Against the mean of the partitioned runs before and after the unpartitioned one, when there are two.
    const ratio = flat.load.p50 / (again ? (partitioned.load.p50 + again.load.p50) / 2 : partitioned.load.p50);
    rows.push([
      `dashboard ${flat.days} day${flat.days > 1 ? 's' : ''} at ${count(flat.logs)} logs, partitioned by day, P50 / P95${again ? ', before and after the unpartitioned run' : ''} (exact summary ${pair(partitioned.baseline)})`,
      again ? `${pair(partitioned.load)}; ${pair(again.load)}` : pair(partitioned.load),
      `same rows unpartitioned: ${pair(flat.load)} (exact summary ${pair(flat.baseline)})`,
      speed(ratio),
      'not slower than unpartitioned (P50, 10 % noise)',
      check(ratio >= 0.9),
    ]);
  }
  if (r.retention) {
    const t = r.retention;
    const bytes = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);
    rows.push([
      `retention: ${count(t.expired)} of ${count(t.logs)} logs (${t.days} days, keep ${t.keepDays}), time and WAL`,
      `drop ${t.drop.partitions} day partitions: ${t.drop.seconds.toFixed(2)} s (${t.drop.countSeconds.toFixed(2)} s of it counting their logs), ${bytes(t.drop.walBytes)} WAL`,
      `batched DELETE (${t.delete.statements} statements): ${t.delete.seconds.toFixed(2)} s, ${bytes(t.delete.walBytes)} WAL`,
      `${(t.delete.seconds / t.drop.seconds).toFixed(1)}x faster, ${(t.delete.walBytes / Math.max(1, t.drop.walBytes)).toFixed(0)}x less WAL`,
      'faster than DELETE',
      check(t.drop.seconds < t.delete.seconds),
    ]);
  }
  for (const live of r.live.runs) {
    const target = live.subscribers >= 10_000 ? 500 : live.subscribers >= 5000 ? 1000 : undefined;
    rows.push([
      `live fan-out to ${count(live.subscribers)} graphql-ws subscribers (${live.processes} client processes of ${count(Math.ceil(live.subscribers / live.processes))} sockets): tick to last receipt, P50 / P95 / max (${live.ticks} ticks); server RSS`,
      `${pair(live.timeToLast)} / ${ms(live.timeToLastMax)}; ${Math.round(live.serverRssMb.peak)} MB`,
      `1 subscriber: ${pair(r.live.baseline.timeToLast)}`,
      `${(live.delivered * 100).toFixed(1)} % delivered`,
      target ? `P95 <= ${ms(target)}` : '',
      target ? check(live.timeToLast.p95 <= target && live.delivered === 1) : '',
    ]);
  }
  if (r.search) {
    const terms = Object.entries(r.search.terms)
      .map(([term, p]) => `"${term}" ${pair(p)}`)
      .join('; ');
    rows.push([
      `first page of a search in prompts and responses at ${count(r.search.logs)} logs (trigram index), P50 / P95 of the slowest term`,
      pair(r.search.worst),
      terms,
      '',
      'P95 <= 300 ms',
      check(r.search.worst.p95 <= 300),
    ]);
  }
  if (r.traces) {
    const t = r.traces;
    const spanRatio = t.ingest.spansPerSecond / t.ingest.copyRowsPerSecond;
    // Each round's ratio against that round's COPY, when the lines ran in rounds (their figures are the medians).
    const rounds = (side: 'json' | 'protobuf') =>
      t.ingest.rounds
        ? `; median of ${t.ingest.rounds.length} rounds, each against its own COPY: ${t.ingest.rounds.map((r) => timesText(r[side] / r.copy)).join(', ')}`
        : '';
    rows.push([
      `span ingestion over OTLP/HTTP JSON (${t.ingest.clients} clients, ${t.ingest.batchSize} spans a request, ${count(t.ingest.spans)} spans${t.ingest.warmupSpans ? ` after ${count(t.ingest.warmupSpans)} untimed` : ''}, 1 in 6 a model call${rounds('json')})`,
      `${Math.round(t.ingest.spansPerSecond).toLocaleString('en')} spans/s`,
      `raw COPY of the same span rows (2 streams, ${t.ingest.copyTextBeforeClock ? 'their text made before the clock' : 'their text written while timed'}): ${Math.round(t.ingest.copyRowsPerSecond).toLocaleString('en')} rows/s`,
      timesText(spanRatio),
      '>= 0.5x',
      check(spanRatio >= 0.5),
    ]);
    const writes = t.ingest.copyOfWrites;
    if (writes) {
      // Runs from before the COPY of every row written ran in each round have no rate of it per round.
      const eachRound = t.ingest.rounds?.every((r) => r.copyOfWrites !== undefined)
        ? (t.ingest.rounds as Required<NonNullable<SpanIngestResult['rounds']>[number]>[])
        : undefined;
      const roundRatios = (of: (round: NonNullable<typeof eachRound>[number]) => number) =>
        eachRound ? `; median of ${eachRound.length} rounds: ${eachRound.map((r) => timesText(of(r))).join(', ')}` : '';
      rows.push([
        `span ingestion over OTLP/HTTP JSON against a raw COPY of every row it wrote${eachRound ? ', in each round' : t.ingest.rounds ? ' in the first round' : ''}: the same spans, their model calls' logs and eventId claims, pending metric rows and trace summaries (${count(writes.rows)} rows, 2 streams, into plain tables with the server's indexes); CPU per span of that COPY: PostgreSQL / bench client${roundRatios((r) => r.json / r.copyOfWrites)}`,
        `${Math.round(t.ingest.spansPerSecond).toLocaleString('en')} spans/s`,
        `${Math.round(writes.spansPerSecond).toLocaleString('en')} spans' rows/s; ${microseconds(writes.cpu.postgres)} / ${microseconds(writes.cpu.client)}`,
        timesText(t.ingest.spansPerSecond / writes.spansPerSecond),
        '',
        '',
      ]);
      if (eachRound) {
        // What no server can pass here: the database writing only the rows span ingestion must write, by
        // COPY, with no HTTP, decoding or server at all, against the COPY of the span rows alone.
        const ceiling = writes.spansPerSecond / t.ingest.copyRowsPerSecond;
        rows.push([
          `the ceiling for span ingestion on this machine: the raw COPY of every row it wrote (no server, no HTTP, no decoding) against the raw COPY of the span rows alone${roundRatios((r) => r.copyOfWrites / r.copy)}`,
          `${Math.round(writes.spansPerSecond).toLocaleString('en')} spans' rows/s`,
          `raw COPY of the same span rows: ${Math.round(t.ingest.copyRowsPerSecond).toLocaleString('en')} rows/s`,
          timesText(ceiling),
          '',
          '',
        ]);
      }
    }
    const cpu = t.ingest.cpu;
    const copyCpu = cpu && cpu.copyPostgres !== null ? cpu.copyPostgres + cpu.copyClient : null;
    const cpuRow = (encoding: string, spanCpu: SidesCpu) => {
      const spanTotal = spanCpu.server === null || spanCpu.postgres === null ? null : spanCpu.server + spanCpu.postgres + spanCpu.client;
      rows.push([
        `CPU per span over OTLP/HTTP ${encoding}: server / PostgreSQL (all its processes) / bench client`,
        `${microseconds(spanCpu.server)} / ${microseconds(spanCpu.postgres)} / ${microseconds(spanCpu.client)}`,
        `raw COPY per row: PostgreSQL ${microseconds(cpu!.copyPostgres)}, bench client ${microseconds(cpu!.copyClient)}`,
        spanTotal === null || copyCpu === null ? '' : `${(spanTotal / copyCpu).toFixed(1)}x the CPU`,
        '',
        '',
      ]);
    };
    if (cpu) cpuRow('JSON', cpu);
    const protobuf = t.ingest.protobuf;
    if (protobuf) {
      const protobufRatio = protobuf.spansPerSecond / t.ingest.copyRowsPerSecond;
      rows.push([
        `span ingestion over OTLP/HTTP protobuf, the encoding of Dify's exporter (after the JSON line, ${count(protobuf.spans)} other spans of the same shape${rounds('protobuf')})`,
        `${Math.round(protobuf.spansPerSecond).toLocaleString('en')} spans/s`,
        `the same raw COPY: ${Math.round(t.ingest.copyRowsPerSecond).toLocaleString('en')} rows/s`,
        timesText(protobufRatio),
        '>= 0.5x',
        check(protobufRatio >= 0.5),
      ]);
      if (cpu) cpuRow('protobuf', protobuf.cpu);
    }
    const storePath = t.ingest.storePath;
    if (storePath) {
      const storeRatio = storePath.spansPerSecond / t.ingest.copyRowsPerSecond;
      rows.push([
        `the server's step after decoding alone: the JSON line's work without HTTP or decoding (bodies decoded beforehand, then stored by the server's own code on the bench process's one thread, ${t.ingest.clients} callers, ${count(storePath.spans)} other spans); CPU per span of that process / PostgreSQL`,
        `${Math.round(storePath.spansPerSecond).toLocaleString('en')} spans/s; ${microseconds(storePath.cpu.process)} / ${microseconds(storePath.cpu.postgres)}`,
        `the same raw COPY: ${Math.round(t.ingest.copyRowsPerSecond).toLocaleString('en')} rows/s`,
        timesText(storeRatio),
        '',
        '',
      ]);
    }
    if (t.single) {
      const c = t.single.cpu;
      rows.push([
        `span ingestion as Dify exports: one span a request over protobuf, nodes, then workflow, then root (${t.single.exporters} exporters each sending its traces in turn, ${count(t.single.spans)} spans)`,
        `${Math.round(t.single.spansPerSecond).toLocaleString('en')} spans/s`,
        `CPU per request: server ${microseconds(c.server)}, PostgreSQL ${microseconds(c.postgres)}, bench client ${microseconds(c.client)}`,
        '',
        '',
        '',
      ]);
    }
    const queryRows = (q: TraceQueriesResult, over: string) => {
      const big = q.spans >= 1_000_000;
      const lines: [string, Percentiles, number | null][] = [
        ['trace() with every span', q.trace, 50],
        ['first page of traces()', q.tracesPage, 100],
        ['first page of sessions()', q.sessionsPage, 100],
        ...(q.logDetail
          ? [['log(id) as the log detail asks for it (a span links there)', q.logDetail, null] satisfies [string, Percentiles, null]]
          : []),
      ];
      for (const [what, p, target] of lines) {
        rows.push([
          `${what}, at ${count(q.spans)} spans${over}, P50 / P95`,
          pair(p),
          '',
          '',
          big && target !== null ? `P95 <= ${target} ms` : '',
          big && target !== null ? check(p.p95 <= target) : '',
        ]);
      }
    };
    queryRows(t.queries, '');
    if (t.aged) queryRows(t.aged, ` over a year of day partitions (${count(t.aged.partitions!)} of span, as many of app_log)`);
  }
  if (r.ingest)
    rows.push([
      'server peak RSS during the ingest run',
      `${Math.round(r.ingest.peakRssMb)} MB`,
      `idle before ingest: ${Math.round(r.ingest.idleRssMb)} MB`,
      '',
      '<= 400 MB',
      check(r.ingest.peakRssMb <= 400),
    ]);
  const loads = Object.entries(r.loads).map(
    ([name, l]) =>
      `${name}: COPY ${Math.round(l.copyRowsPerSecond).toLocaleString('en')} rows/s, rollup rebuild ${l.rebuildSeconds.toFixed(0)} s`,
  );
  return [
    `## Lumen benchmark (${r.mode}${r.only ? `, only ${r.only}` : ''}, ${r.startedAt})`,
    '',
    `${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.postgres}`,
    '',
    '| measurement | result | baseline (same run) | vs baseline | target | |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...(loads.length > 0 ? [`Bulk loads: ${loads.join('; ')}.`, ''] : []),
    ...(r.live.runs.length > 0
      ? [
          'Live clients: each subscriber is one socket speaking graphql-transport-ws by hand (bench/src/live-client.ts), spread evenly over the client processes, on the same machine as the server.',
          '',
        ]
      : []),
  ].join('\n');
}

export function machine(postgres: string): BenchResults['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres,
  };
}

export function save(results: BenchResults, table: string): string {
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${results.mode}${results.only ? `-${results.only}` : ''}-${results.startedAt.replace(/[:.]/g, '-')}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, table);
  return base;
}
