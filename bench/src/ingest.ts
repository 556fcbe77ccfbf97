import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import { benchLog, COPY_COLUMNS, copyLine, random, type BenchLog } from './dataset.js';
import type { BenchServer } from './server.js';

const INGEST = `mutation Ingest($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted duplicates rejected { index field message } } }`;

export interface IngestResult {
  logs: number;
  batchSize: number;
  clients: number;
  seconds: number;
  logsPerSecond: number;
  bytesPerLog: number;
  peakRssMb: number;
  idleRssMb: number;
  /** Batches sent again after a network error (safe: eventIds make a replay store nothing twice). */
  retries: number;
}

export function ingestLogs(count: number, prefix: string, seed: number): BenchLog[] {
  const next = random(seed);
  const now = Date.now();
  // Spread over the last hour, as live traffic would be.
  return Array.from({ length: count }, (_, i) => benchLog(next, i, prefix, now - 3_600_000 + Math.floor((i / count) * 3_590_000), 800));
}

/** Sends the logs through ingestLogs over HTTP from `clients` concurrent senders, bodies prepared beforehand. */
export async function httpIngest(server: BenchServer, logs: BenchLog[], batchSize: number, clients: number): Promise<IngestResult> {
  const bodies: string[] = [];
  for (let i = 0; i < logs.length; i += batchSize)
    bodies.push(JSON.stringify({ query: INGEST, variables: { logs: logs.slice(i, i + batchSize) } }));
  const bytesPerLog = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0) / logs.length;
  const idleRssMb = server.rssMb();
  let peakRssMb = idleRssMb;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, server.rssMb())), 50);
  let nextBody = 0;
  let retries = 0;
  const send = async (body: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
          body,
        });
      } catch (error) {
        if (attempt === 3) throw error;
        retries++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (nextBody < bodies.length) {
        const body = bodies[nextBody++]!;
        const response = await send(body);
        const result = (await response.json()) as { data?: { ingestLogs: { rejected: unknown[] } }; errors?: unknown };
        if (!result.data || result.data.ingestLogs.rejected.length > 0)
          throw new Error(`ingest failed: ${JSON.stringify(result.errors ?? result.data)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRssMb = Math.max(peakRssMb, server.rssMb());
  return {
    logs: logs.length,
    batchSize,
    clients,
    seconds,
    logsPerSecond: logs.length / seconds,
    bytesPerLog,
    peakRssMb,
    idleRssMb,
    retries,
  };
}

/** COPY of lines into app_log over `streams` parallel connections; returns rows per second. */
export async function copyRows(
  databaseUrl: string,
  lines: Iterable<string>[],
  table = 'app_log',
): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  let rows = 0;
  const started = performance.now();
  await Promise.all(
    lines.map(async (source) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const counted = (function* () {
          let chunk = '';
          for (const line of source) {
            rows++;
            chunk += line;
            if (chunk.length > 256 * 1024) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk) yield chunk;
        })();
        await pipeline(Readable.from(counted), client.query(copyFrom(`copy ${table} (${COPY_COLUMNS.join(', ')}) from stdin`)));
      } finally {
        await client.end();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds };
}

/**
 * The ingest target's baseline: COPY of the same rows into a plain table (not partitioned) with
 * app_log's columns, a unique key on event_id and three indexes (time, app and model, as the logs list
 * reads them). Returns rows per second; the table is dropped afterwards.
 */
export async function copyIntoPlainTable(databaseUrl: string, lines: Iterable<string>[]): Promise<{ rowsPerSecond: number }> {
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  try {
    await setup.query(`drop table if exists bench_log_copy;
      create table bench_log_copy (like app_log including defaults, constraint bench_log_copy_event_id_unique unique (event_id));
      create index on bench_log_copy (ts desc, id desc);
      create index on bench_log_copy (app_id, ts desc);
      create index on bench_log_copy (model, ts desc);`);
    const copy = await copyRows(databaseUrl, lines, 'bench_log_copy');
    return { rowsPerSecond: copy.rowsPerSecond };
  } finally {
    await setup.query('drop table if exists bench_log_copy').catch(() => undefined);
    await setup.end();
  }
}

/** The same logs as COPY lines, split into `streams` parts. */
export function copyParts(logs: BenchLog[], streams: number): Iterable<string>[] {
  const size = Math.ceil(logs.length / streams);
  return Array.from({ length: streams }, (_, i) => logs.slice(i * size, (i + 1) * size).map(copyLine));
}
