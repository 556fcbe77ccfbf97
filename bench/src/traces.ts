import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

import { ownCpuMs, perItemUs, postgresCpuMs, readSidesCpu, sidesPerItemUs, type SidesCpu } from './cpu.js';
import { percentiles, withClient, type Percentiles } from './dashboard.js';
import { random } from './dataset.js';
import { createLogPartitions } from './retention.js';
import { gql, type BenchServer } from './server.js';
import { openServerSpanStore, type DecodedSpans } from './store-path.js';

const DAY = 86_400_000;

/**
 * Traces: span ingestion over OTLP/HTTP (JSON, then protobuf; one Dify-like workflow of six spans per
 * trace, one of them an LLM call that also becomes a log) against a raw COPY of the JSON line's span rows
 * into a plain table with the span table's key, in rounds (ROUNDS); then trace(), the first page of
 * traces() and sessions() over a span table loaded in SQL.
 */
export interface SpanIngestResult {
  /** Spans of each timed line (JSON, protobuf, COPY) in each round. */
  spans: number;
  /** Spans sent untimed before the timed ones, in both encodings (absent in runs from before the warm-up). */
  warmupSpans?: number;
  clients: number;
  batchSize: number;
  spansPerSecond: number;
  copyRowsPerSecond: number;
  /**
   * True when the COPY lines' text was made before their clock started, as the ingestion lines' request
   * bodies always were. Absent in runs from before: their COPY of the span rows wrote its text while
   * timed, which cost the bench's client 7–10 µs of CPU a row and about halved its rows per second.
   */
  copyTextBeforeClock?: boolean;
  /**
   * Every row the JSON line wrote (its spans, its model calls' logs and their eventId claims, their
   * pending metric rows, its traces' summaries), by COPY in the same run into plain tables with the
   * indexes of the server's: per second, the spans whose rows were copied; CPU per span of PostgreSQL
   * and of the bench's client. What the database alone takes for the writes span ingestion does. Absent
   * in runs from before it was measured.
   */
  copyOfWrites?: { rows: number; spansPerSecond: number; cpu: { postgres: number | null; client: number } };
  /**
   * True when the JSON bodies were UTF-8 bytes before the clock started, as the protobuf ones always
   * were. Absent in runs from before: their JSON bodies were strings, which the bench's HTTP client
   * encoded while timed, on the cores the server and the database share.
   */
  jsonBytesBeforeClock?: boolean;
  /**
   * CPU per span (µs) while the timed spans were sent: the server, every PostgreSQL process (null when
   * the database is not on this machine) and the bench's own client; and per row of the COPY. Absent in
   * runs from before it was measured.
   */
  cpu?: {
    server: number | null;
    postgres: number | null;
    client: number;
    copyPostgres: number | null;
    copyClient: number;
  };
  /**
   * The same measurement over OTLP/HTTP protobuf (the encoding of Dify's exporter and of the Python and
   * Node.js SDKs' default `http/protobuf`), timed after the JSON one with other traces of the same shape.
   * Absent in runs from before it was measured.
   */
  protobuf?: { spans: number; spansPerSecond: number; cpu: SidesCpu };
  /**
   * The server's step after decoding alone, timed after the protobuf line with other traces of the same
   * shape: the JSON bodies decoded beforehand by the server's decoder, then stored by its own code
   * (mapping, the model-call logs' validation and pricing, every write) loaded into the bench's process,
   * from as many callers as there are clients, all on the process's one thread. No HTTP, no decoding and
   * no worker thread: what one thread does after decoding (the server over HTTP spreads large requests
   * over its OTLP worker threads). CPU per span of that process and of PostgreSQL. Absent in runs from
   * before it was measured.
   */
  storePath?: { spans: number; spansPerSecond: number; cpu: { process: number; postgres: number | null } };
  /**
   * Each round's rates (spans/s over JSON and protobuf, rows/s of the COPY, and spans' rows/s of the
   * COPY of every row written), in the order run: the figures above are their medians (CPU field by
   * field). Absent in runs from before the lines ran in rounds, whose figures are one measurement each;
   * `copyOfWrites` absent in runs from before that COPY ran in each round (it ran once, on the first
   * round's rows).
   */
  rounds?: { json: number; protobuf: number; copy: number; copyOfWrites?: number }[];
}

export interface TraceQueriesResult {
  spans: number;
  traces: number;
  /** Day partitions of span when measured (absent in runs from before it was recorded). */
  partitions?: number;
  trace: Percentiles;
  tracesPage: Percentiles;
  sessionsPage: Percentiles;
  /** log(id) as the log detail asks for it, a span's link (absent in runs from before it was measured). */
  logDetail?: Percentiles;
}

const hex = (next: () => number, length: number) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');

interface BenchSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  start: number;
  end: number;
  error: boolean;
  attributes: Record<string, string | number>;
}

export function workflowSpans(next: () => number, index: number, now: number): BenchSpan[] {
  const traceId = hex(next, 32);
  const rootId = hex(next, 16);
  const workflowId = hex(next, 16);
  const start = now - 3_600_000 + index * 7;
  const node = (name: string, kind: string, offset: number, ms: number, extra: Record<string, string | number> = {}): BenchSpan => ({
    traceId,
    spanId: hex(next, 16),
    parentSpanId: workflowId,
    name,
    kind,
    start: start + offset,
    end: start + offset + ms,
    error: name === 'code' && next() < 0.05,
    attributes: {
      'openinference.span.kind': kind,
      'input.value': `{"query":"question ${index}"}`,
      'output.value': '{"ok":true}',
      ...extra,
    },
  });
  const session = `bench-session-${Math.floor(index / 3)}`;
  return [
    {
      traceId,
      spanId: rootId,
      parentSpanId: null,
      name: 'Dify',
      kind: 'CHAIN',
      start: start + 4000,
      end: start + 4001,
      error: false,
      attributes: { 'openinference.span.kind': 'CHAIN' },
    },
    {
      traceId,
      spanId: workflowId,
      parentSpanId: rootId,
      name: 'workflow',
      kind: 'CHAIN',
      start,
      end: start + 3500,
      error: false,
      attributes: { 'openinference.span.kind': 'CHAIN', 'session.id': session, metadata: `{"user_id":"user-${index % 500}"}` },
    },
    node('knowledge-retrieval', 'RETRIEVER', 10, 300),
    node('llm', 'LLM', 320, 2500, {
      'llm.provider': 'langgenius/openai/openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.token_count.prompt': 300 + (index % 200),
      'llm.token_count.completion': 40 + (index % 60),
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': `question ${index} about an order`,
      'session.id': session,
    }),
    node('tool', 'TOOL', 2830, 200),
    node('code', 'CHAIN', 3040, 50),
  ];
}

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const attribute = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
});

export function otlpBody(spans: BenchSpan[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [attribute('openinference.project.name', 'bench-dify')] },
        scopeSpans: [
          {
            scope: { name: 'arize_phoenix_tracer_bench-dify' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: 1,
              startTimeUnixNano: nanos(s.start),
              endTimeUnixNano: nanos(s.end),
              attributes: Object.entries(s.attributes).map(([key, value]) => attribute(key, value)),
              status: s.error ? { code: 2, message: 'node failed' } : { code: 1 },
            })),
          },
        ],
      },
    ],
  });
}

const text = (value: string | null) => (value === null ? '\\N' : value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n'));

/** The span rows as COPY text lines, columns as in span. */
function copyLine(s: BenchSpan): string {
  return (
    [
      s.traceId,
      s.spanId,
      s.parentSpanId,
      s.name,
      s.kind,
      new Date(s.start).toISOString(),
      new Date(s.end).toISOString(),
      String(s.end - s.start),
      s.error ? 'ERROR' : 'OK',
      s.error ? 'node failed' : null,
      (s.attributes['input.value'] as string) ?? null,
      (s.attributes['output.value'] as string) ?? null,
      JSON.stringify(s.attributes),
      'bench-dify',
    ]
      .map((value) => text(value))
      .join('\t') + '\n'
  );
}

// OTLP protobuf, written by hand for the bench's spans (opentelemetry-proto collector/trace/v1 field
// numbers): ids as bytes, times as fixed64, attributes as string or int values, the status.
function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}
const field = (number: number, bytes: Buffer) => Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
const stringField = (number: number, value: string) => field(number, Buffer.from(value, 'utf8'));
const varintField = (number: number, value: number) => Buffer.concat([varint(number << 3), varint(value)]);
function fixed64Field(number: number, value: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return Buffer.concat([varint((number << 3) | 1), bytes]);
}
/** A KeyValue message. */
const keyValue = (key: string, value: string | number) =>
  Buffer.concat([stringField(1, key), field(2, typeof value === 'number' ? varintField(3, value) : stringField(1, value))]);

/** The spans as an OTLP/HTTP protobuf body (ExportTraceServiceRequest), as otlpBody writes them in JSON. */
export function otlpProtobufBody(spans: BenchSpan[]): Buffer {
  const span = (s: BenchSpan) =>
    Buffer.concat([
      field(1, Buffer.from(s.traceId, 'hex')),
      field(2, Buffer.from(s.spanId, 'hex')),
      ...(s.parentSpanId ? [field(4, Buffer.from(s.parentSpanId, 'hex'))] : []),
      stringField(5, s.name),
      varintField(6, 1),
      fixed64Field(7, BigInt(s.start) * 1_000_000n),
      fixed64Field(8, BigInt(s.end) * 1_000_000n),
      ...Object.entries(s.attributes).map(([key, value]) => field(9, keyValue(key, value))),
      field(15, s.error ? Buffer.concat([stringField(2, 'node failed'), varintField(3, 2)]) : varintField(3, 1)),
    ]);
  const resource = field(1, keyValue('openinference.project.name', 'bench-dify'));
  const scope = stringField(1, 'arize_phoenix_tracer_bench-dify');
  const scopeSpans = Buffer.concat([field(1, scope), ...spans.map((s) => field(2, span(s)))]);
  return field(1, Buffer.concat([field(1, resource), field(2, scopeSpans)]));
}

type Encoding = 'json' | 'protobuf';
type OtlpBody = Uint8Array<ArrayBuffer>;

/** One OTLP/HTTP export; throws unless every span of it was taken. */
async function exportSpans(server: BenchServer, body: OtlpBody, encoding: Encoding): Promise<void> {
  const response = await fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': `application/${encoding === 'json' ? 'json' : 'x-protobuf'}`, authorization: `Bearer ${server.adminKey}` },
    body,
  });
  // Over protobuf a full success is an empty ExportTraceServiceResponse: no byte at all.
  const answer = encoding === 'json' ? ((await response.json()) as { partialSuccess?: unknown }) : await response.arrayBuffer();
  if (response.status !== 200 || (answer instanceof ArrayBuffer ? answer.byteLength > 0 : answer.partialSuccess))
    throw new Error(
      `OTLP export failed: ${response.status} ${answer instanceof ArrayBuffer ? `${answer.byteLength} B` : JSON.stringify(answer)}`,
    );
}

/**
 * Traces (of six spans) sent before the timed ones, in each encoding, and stored before the timed step
 * after decoding. The server reaches its steady cost a span only after a few hundred thousand spans:
 * with 12,000 or 60,000 untimed spans the first timed line cost it 43–55 µs of CPU a span over JSON,
 * where the same line repeated later in the same run cost 29–42; with 240,000 untimed, the first one
 * cost 38 and its repeats 27–37.
 */
const WARMUP_TRACES = 20_000;

/*
 * Each batch of traces comes from a seed of its own: traces drawn again from another batch's seed
 * would carry its trace and span ids, so their spans would join the earlier traces and their model
 * calls would be refused as that batch's logs (the eventId is the trace and span id). expectStored
 * checks every span and every model call of a line was stored.
 */

/** `count` workflow traces from `next`, the first of them at `from` (workflowSpans' index), each as its six spans. */
const tracesOf = (next: () => number, from: number, count: number, now: number) =>
  Array.from({ length: count }, (_, i) => workflowSpans(next, from + i, now));

/** Runs `work` on every item, from `callers` concurrent callers that each take the next item as they finish one. */
async function eachConcurrently<T>(items: readonly T[], callers: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** How many spans and logs the database holds. */
async function storedCounts(databaseUrl: string): Promise<{ spans: number; logs: number }> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query('select (select count(*) from span) as spans, (select count(*) from app_log) as logs');
    return { spans: Number(rows[0].spans), logs: Number(rows[0].logs) };
  });
}

/** Throws unless `spans` more spans are stored since `before`, and a log for each trace's model call (one in six spans). */
async function expectStored(databaseUrl: string, before: { spans: number; logs: number }, spans: number): Promise<void> {
  const after = await storedCounts(databaseUrl);
  if (after.spans - before.spans !== spans) throw new Error(`${spans} spans were sent but ${after.spans - before.spans} are stored`);
  if (after.logs - before.logs !== spans / 6) {
    throw new Error(`${spans / 6} model calls were sent but ${after.logs - before.logs} are stored as logs`);
  }
}

const COPY_COLUMNS =
  'trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, error_message, input, output, attributes, app_id';

/**
 * The timed lines run in rounds, each on traces of its own: JSON, protobuf, then a COPY of that round's
 * JSON span rows and one of every row its JSON line wrote. Each figure reported is the median of its
 * rounds (SpanIngestResult.rounds keeps them all): a single COPY of the span rows lasts about a second
 * and varied by up to 1.7× between runs of one day (1.4× within one run), more than ingestion did; the
 * rounds time both sides under the same conditions, a minute apart at most.
 */
const ROUNDS = 3;

// ROUNDS is odd, so the median is the middle value, which percentiles() gives as P50.
const median = (values: number[]) => percentiles(values).p50;
const medianOrNull = (values: readonly (number | null)[]) => (values.some((value) => value === null) ? null : median(values as number[]));
const medianCpu = (cpus: readonly SidesCpu[]): SidesCpu => ({
  server: medianOrNull(cpus.map((cpu) => cpu.server)),
  postgres: medianOrNull(cpus.map((cpu) => cpu.postgres)),
  client: median(cpus.map((cpu) => cpu.client)),
});

export async function measureSpanIngest(
  server: BenchServer,
  databaseUrl: string,
  traces: number,
  clients: number,
  batchSize: number,
): Promise<SpanIngestResult> {
  const now = Date.now();
  // Each request carries whole spans in the order Dify would end them (children before parents), batched.
  const bodiesOf = (spans: BenchSpan[], encoding: Encoding) => {
    const bodies: OtlpBody[] = [];
    for (let i = 0; i < spans.length; i += batchSize) {
      const batch = spans.slice(i, i + batchSize);
      // Both encodings as bytes, made before the clock starts: a JSON string would be encoded by the
      // HTTP client while timed.
      bodies.push(new Uint8Array(encoding === 'json' ? Buffer.from(otlpBody(batch)) : otlpProtobufBody(batch)));
    }
    return bodies;
  };
  const send = (bodies: OtlpBody[], encoding: Encoding) => eachConcurrently(bodies, clients, (body) => exportSpans(server, body, encoding));
  const timed = async (bodies: OtlpBody[], encoding: Encoding, spans: number) => {
    const before = readSidesCpu(server.pid, databaseUrl);
    const started = performance.now();
    await send(bodies, encoding);
    const seconds = (performance.now() - started) / 1000;
    return { spansPerSecond: spans / seconds, cpu: sidesPerItemUs(before, readSidesCpu(server.pid, databaseUrl), spans) };
  };
  // Untimed first, as the log ingest line warms up: other traces through the same paths, so the timed
  // requests meet a server at its steady cost (WARMUP_TRACES) and a pool with its connections open.
  const storedBefore = await storedCounts(databaseUrl);
  const warm = random(97);
  const warmup = (from: number) => tracesOf(warm, from, WARMUP_TRACES, now).flat();
  await send(bodiesOf(warmup(0), 'json'), 'json');
  await send(bodiesOf(warmup(WARMUP_TRACES), 'protobuf'), 'protobuf');

  // Then the rounds: each draws its JSON and its protobuf traces from seeds of their own.
  let from = 2 * WARMUP_TRACES;
  const rounds: {
    json: Awaited<ReturnType<typeof timed>>;
    protobuf: Awaited<ReturnType<typeof timed>>;
    copy: SpanRowsCopy;
    copyOfWrites: CopyOfWrites;
  }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const spans = tracesOf(random(31 + 100 * round), from, traces, now).flat();
    const protobufSpans = tracesOf(random(37 + 100 * round), from + traces, traces, now).flat();
    from += 2 * traces;
    const json = await timed(bodiesOf(spans, 'json'), 'json', spans.length);
    const protobuf = await timed(bodiesOf(protobufSpans, 'protobuf'), 'protobuf', protobufSpans.length);
    const copy = await copySpanRows(databaseUrl, spans);
    // Every row the JSON line wrote, read back from the database by its trace ids and copied likewise.
    const copyOfWrites = await measureCopyOfWrites(databaseUrl, [...new Set(spans.map((span) => span.traceId))], spans.length);
    rounds.push({ json, protobuf, copy, copyOfWrites });
  }
  // Then the step after decoding alone: other traces again, decoded before the clock starts.
  const nextStored = random(43);
  const storeWarmup = tracesOf(nextStored, from, WARMUP_TRACES, now).flat();
  const storeTimed = tracesOf(nextStored, from + WARMUP_TRACES, traces, now).flat();
  const storePath = await measureStorePath(databaseUrl, bodiesOf(storeWarmup, 'json'), bodiesOf(storeTimed, 'json'), clients);
  const sent = 2 * WARMUP_TRACES * 6 + 2 * ROUNDS * traces * 6 + storeWarmup.length + storeTimed.length;
  await expectStored(databaseUrl, storedBefore, sent);

  const spans = traces * 6;
  const writes = rounds.map((r) => r.copyOfWrites);
  return {
    spans,
    warmupSpans: WARMUP_TRACES * 6 * 2,
    clients,
    batchSize,
    spansPerSecond: median(rounds.map((r) => r.json.spansPerSecond)),
    copyRowsPerSecond: median(rounds.map((r) => r.copy.rowsPerSecond)),
    copyTextBeforeClock: true,
    jsonBytesBeforeClock: true,
    copyOfWrites: {
      rows: median(writes.map((w) => w.rows)),
      spansPerSecond: median(writes.map((w) => w.spansPerSecond)),
      cpu: { postgres: medianOrNull(writes.map((w) => w.cpu.postgres)), client: median(writes.map((w) => w.cpu.client)) },
    },
    cpu: {
      ...medianCpu(rounds.map((r) => r.json.cpu)),
      copyPostgres: medianOrNull(rounds.map((r) => r.copy.cpu.postgres)),
      copyClient: median(rounds.map((r) => r.copy.cpu.client)),
    },
    protobuf: {
      spans,
      spansPerSecond: median(rounds.map((r) => r.protobuf.spansPerSecond)),
      cpu: medianCpu(rounds.map((r) => r.protobuf.cpu)),
    },
    storePath,
    rounds: rounds.map((r) => ({
      json: r.json.spansPerSecond,
      protobuf: r.protobuf.spansPerSecond,
      copy: r.copy.rowsPerSecond,
      copyOfWrites: r.copyOfWrites.spansPerSecond,
    })),
  };
}

interface SpanRowsCopy {
  rowsPerSecond: number;
  /** CPU per row, µs: every PostgreSQL process, and the bench's client (sending the COPY text written before). */
  cpu: { postgres: number | null; client: number };
}

/**
 * The baseline: the spans' rows by COPY (2 streams) into a fresh plain table keyed like span, dropped
 * after. Only the COPY is timed: the table, the connections and the rows' COPY text are made before the
 * clock starts, as the ingestion lines' request bodies are encoded before theirs. (Written while timed,
 * the text cost the bench's client 7–10 µs of CPU a row on the two cores the database shares, and the
 * COPY took about half the rows per second.)
 */
async function copySpanRows(databaseUrl: string, spans: BenchSpan[]): Promise<SpanRowsCopy> {
  await withClient(databaseUrl, (client) =>
    client.query(
      'drop table if exists bench_span_copy; create table bench_span_copy (like span including defaults including constraints including indexes)',
    ),
  );
  const half = Math.ceil(spans.length / 2);
  const texts = [spans.slice(0, half), spans.slice(half)].map((part) => Buffer.from(part.map(copyLine).join('')));
  const copy = await timeTwoStreams(databaseUrl, spans.length, (client, stream) =>
    pipeline(Readable.from([texts[stream]!]), client.query(copyFrom(`copy bench_span_copy (${COPY_COLUMNS}) from stdin`))),
  );
  await withClient(databaseUrl, (client) => client.query('drop table bench_span_copy'));
  return { rowsPerSecond: copy.perSecond, cpu: copy.cpu };
}

/**
 * Runs `work` on 2 new connections at once (`stream` 0 and 1) and times it alone: the connections open
 * before the clock starts and close after it stops. Per item of the `items` done: the rate, and the CPU
 * (µs) of every PostgreSQL process and of this process, read while the connections are open, since an
 * ended backend takes its time with it.
 */
async function timeTwoStreams(
  databaseUrl: string,
  items: number,
  work: (client: pg.Client, stream: number) => Promise<void>,
): Promise<{ perSecond: number; cpu: { postgres: number | null; client: number } }> {
  const clients = [new pg.Client({ connectionString: databaseUrl }), new pg.Client({ connectionString: databaseUrl })];
  try {
    await Promise.all(clients.map((client) => client.connect()));
    const before = { postgres: postgresCpuMs(databaseUrl), client: ownCpuMs() };
    const started = performance.now();
    await Promise.all(clients.map((client, stream) => work(client, stream)));
    const seconds = (performance.now() - started) / 1000;
    const after = { postgres: postgresCpuMs(databaseUrl), client: ownCpuMs() };
    return {
      perSecond: items / seconds,
      cpu: { postgres: perItemUs(before.postgres, after.postgres, items), client: perItemUs(before.client, after.client, items)! },
    };
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/**
 * The tables span ingestion writes, each with the rows that belong to a set of traces (in `bench_copy_trace`),
 * as the server stored them. A model call's pending metric row is moved into the rollups by a background
 * job, so it is rebuilt from its log as the server's capture writes it.
 */
const WRITTEN_TABLES: { table: string; select: string }[] = [
  { table: 'span', select: 'select * from span where trace_id in (select trace_id from bench_copy_trace)' },
  { table: 'app_log_event', select: 'select * from app_log_event where trace_id in (select trace_id from bench_copy_trace)' },
  { table: 'app_log', select: 'select * from app_log where trace_id in (select trace_id from bench_copy_trace)' },
  {
    table: 'metric_pending',
    select: `select nextval('metric_pending_id_seq'), ts, app_id, provider, model, user_id, 1, (status = 'ERROR')::int, latency_ms,
                    input_tokens, output_tokens, cost, time_to_first_token_ms
               from app_log where trace_id in (select trace_id from bench_copy_trace)`,
  },
  { table: 'trace_summary', select: 'select * from trace_summary where trace_id in (select trace_id from bench_copy_trace)' },
];

/**
 * Copies every row the traces' ingestion wrote (WRITTEN_TABLES) by COPY into plain tables made like the
 * server's, indexes included, from 2 streams that each take half of every table's rows. Timed from the
 * first COPY to the last; the rows are read out, and each stream's COPY text made, beforehand.
 */
type CopyOfWrites = NonNullable<SpanIngestResult['copyOfWrites']>;

async function measureCopyOfWrites(databaseUrl: string, traceIds: string[], spans: number): Promise<CopyOfWrites> {
  const dumps = await withClient(databaseUrl, async (client) => {
    await client.query('drop table if exists bench_copy_trace; create table bench_copy_trace (trace_id text primary key)');
    await client.query('insert into bench_copy_trace select unnest($1::text[])', [traceIds]);
    const read: { table: string; lines: string[] }[] = [];
    for (const { table, select } of WRITTEN_TABLES) {
      const chunks: Buffer[] = [];
      await pipeline(
        client.query(copyTo(`copy (${select}) to stdout`)),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk);
            done();
          },
        }),
      );
      const lines = Buffer.concat(chunks).toString('utf8').split('\n');
      lines.pop();
      read.push({ table, lines });
      await client.query(
        `drop table if exists bench_copy_${table}; create table bench_copy_${table} (like ${table} including defaults including constraints including indexes)`,
      );
    }
    await client.query('drop table bench_copy_trace');
    return read;
  });
  const stored = dumps.find((dump) => dump.table === 'span')!.lines.length;
  if (stored !== spans) throw new Error(`${spans} spans were timed but ${stored} of their rows were read back`);
  // Each stream's text for each table: half of its rows.
  const texts = [0, 1].map((i) =>
    dumps.flatMap(({ table, lines }) => {
      const half = Math.ceil(lines.length / 2);
      const part = i === 0 ? lines.slice(0, half) : lines.slice(half);
      return part.length === 0 ? [] : [{ table, text: Buffer.from(`${part.join('\n')}\n`) }];
    }),
  );
  const copy = await timeTwoStreams(databaseUrl, spans, async (client, stream) => {
    for (const { table, text } of texts[stream]!) {
      await pipeline(Readable.from([text]), client.query(copyFrom(`copy bench_copy_${table} from stdin`)));
    }
  });
  await withClient(databaseUrl, (client) => client.query(dumps.map(({ table }) => `drop table bench_copy_${table};`).join(' ')));
  return { rows: dumps.reduce((sum, dump) => sum + dump.lines.length, 0), spansPerSecond: copy.perSecond, cpu: copy.cpu };
}

/** Stores the bodies' spans through the server's own code in this process (store-path.ts): the warm-up ones untimed, then the timed ones. */
async function measureStorePath(
  databaseUrl: string,
  warmupBodies: OtlpBody[],
  timedBodies: OtlpBody[],
  callers: number,
): Promise<NonNullable<SpanIngestResult['storePath']>> {
  const server = await openServerSpanStore(databaseUrl);
  try {
    const storeAll = (requests: DecodedSpans[]) => eachConcurrently(requests, callers, (request) => server.store(request));
    const decode = (bodies: OtlpBody[]) => bodies.map((body) => server.decodeJson(body));
    await storeAll(decode(warmupBodies));
    const requests = decode(timedBodies);
    const spans = requests.reduce((sum, request) => sum + request.spans.length, 0);
    // Read while the store's connections are open: an ended backend takes its time with it.
    const before = { process: ownCpuMs(), postgres: postgresCpuMs(databaseUrl) };
    const started = performance.now();
    await storeAll(requests);
    const seconds = (performance.now() - started) / 1000;
    const after = { process: ownCpuMs(), postgres: postgresCpuMs(databaseUrl) };
    return {
      spans,
      spansPerSecond: spans / seconds,
      cpu: { process: perItemUs(before.process, after.process, spans)!, postgres: perItemUs(before.postgres, after.postgres, spans) },
    };
  } finally {
    await server.close();
  }
}

export interface SingleSpanExportResult {
  traces: number;
  spans: number;
  exporters: number;
  spansPerSecond: number;
  /** CPU per request (one span), µs. */
  cpu: SidesCpu;
}

/**
 * Span ingestion as Dify exports: each span in its own protobuf request as it ends (its nodes in the
 * order they ran, then the workflow, then the root `Dify`), by `exporters` exporters that each send
 * their traces' spans in turn.
 */
export async function measureSingleSpanExport(
  server: BenchServer,
  databaseUrl: string,
  traces: number,
  exporters: number,
): Promise<SingleSpanExportResult> {
  const now = Date.now();
  const send = (all: BenchSpan[][]) =>
    eachConcurrently(all, exporters, async ([root, workflow, ...nodes]) => {
      // workflowSpans gives the root, the workflow, then the nodes in the order they ran.
      for (const span of [...nodes, workflow!, root!]) await exportSpans(server, new Uint8Array(otlpProtobufBody([span])), 'protobuf');
    });
  const storedBefore = await storedCounts(databaseUrl);
  const warm = random(83);
  const warmup = tracesOf(warm, 10 * traces, Math.ceil(traces / 4), now);
  await send(warmup);
  const next = random(41);
  const all = tracesOf(next, 11 * traces, traces, now);
  const spans = traces * 6;
  const before = readSidesCpu(server.pid, databaseUrl);
  const started = performance.now();
  await send(all);
  const seconds = (performance.now() - started) / 1000;
  const after = readSidesCpu(server.pid, databaseUrl);
  await expectStored(databaseUrl, storedBefore, (warmup.length + all.length) * 6);
  return {
    traces,
    spans,
    exporters,
    spansPerSecond: spans / seconds,
    cpu: sidesPerItemUs(before, after, spans),
  };
}

/**
 * Loads `traceCount` ten-span traces (one LLM call each, with its log and the log's eventId claim;
 * three traces per session) in SQL, spread over the last 30 days, with their summary rows.
 */
export async function loadTraces(databaseUrl: string, traceCount: number): Promise<void> {
  // A bulk load skips the server, so the days it fills get their partitions first, as the server's job would.
  await createLogPartitions(databaseUrl, Date.now() - 31 * DAY, Date.now(), 'span');
  await withClient(databaseUrl, async (client) => {
    await client.query(
      `insert into span (trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, input, output, attributes,
                         app_id, session_id, user_id, model, provider, input_tokens, output_tokens)
       select md5('t' || t), lpad(to_hex(s), 16, '0'), case when s = 1 then null else lpad(to_hex(1), 16, '0') end,
              case when s = 1 then 'Dify' when s = 4 then 'llm' else 'node-' || s end,
              case when s = 4 then 'LLM' when s = 3 then 'RETRIEVER' when s = 5 then 'TOOL' else 'CHAIN' end,
              now() - interval '30 days' * (t::float8 / $1) + interval '1 ms' * s * 100,
              now() - interval '30 days' * (t::float8 / $1) + interval '1 ms' * (s * 100 + 90),
              90, case when s = 10 and t % 20 = 0 then 'ERROR' else 'OK' end,
              '{"query":"question ' || t || '"}', '{"ok":true}', '{}'::jsonb,
              'bench-app-' || (t % 8), 'bench-session-' || (t / 3), 'user-' || (t % 500),
              case when s = 4 then 'gpt-4o-mini' end, case when s = 4 then 'openai' end,
              case when s = 4 then 320 end, case when s = 4 then 45 end
         from generate_series(1, $1::int) as t, generate_series(1, 10) as s`,
      [traceCount],
    );
    await client.query(
      `insert into trace_summary (trace_id, name, has_root, app_id, session_id, user_id, start_time, end_time, span_count, error_count)
       select trace_id, min(name) filter (where parent_span_id is null), true, min(app_id), min(session_id), min(user_id),
              min(start_time), max(end_time), count(*), count(*) filter (where status = 'ERROR')
         from span where app_id like 'bench-app-%' group by trace_id`,
    );
    await client.query(
      `insert into app_log (event_id, ts, app_id, user_id, session_id, trace_id, span_id, provider, model, input_tokens, output_tokens,
                            latency_ms, status, cost, currency, cost_source)
       select 'otlp-' || trace_id || '-' || span_id, start_time, app_id, user_id, session_id, trace_id, span_id, provider, model,
              input_tokens, output_tokens, duration_ms, 'SUCCESS', 0.0001, 'USD', 'BUILTIN'
         from span where kind = 'LLM' and app_id like 'bench-app-%'`,
    );
    // As ingestion claims each log's eventId, with its trace and session (by which their logs are located).
    await client.query(
      `insert into app_log_event (event_id, ts, log_id, trace_id, session_id)
       select event_id, ts, id, trace_id, session_id from app_log where app_id like 'bench-app-%'`,
    );
    await client.query('vacuum analyze span, trace_summary, app_log, app_log_event');
  });
}

const TRACE = `query($id: String!) { trace(traceId: $id) { traceId name durationMs status spanCount llmCallCount totalCost
  spans { spanId parentSpanId name kind startTime durationMs status input output model inputTokens outputTokens } } }`;
const TRACES = `query { traces(first: 50) { nodes { traceId name startTime durationMs spanCount llmCallCount inputTokens outputTokens totalCost status } pageInfo { endCursor } } }`;
const SESSIONS = `query { sessions(first: 50) { nodes { sessionId firstAt lastAt traceCount llmCallCount totalTokens totalCost errorCount } } }`;
const LOG_DETAIL = `query($id: ID!) { log(id: $id) { id eventId timestamp appId traceId spanId trace { traceId } model prompt response
  inputTokens outputTokens latencyMs status cost feedback { id rating } } }`;

export async function measureTraceQueries(
  server: BenchServer,
  databaseUrl: string,
  traceCount: number,
  iterations: number,
): Promise<TraceQueriesResult> {
  const timed = async (query: string, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const data = await gql<Record<string, unknown>>(server.url, server.adminKey, query, variables);
    const ms = performance.now() - started;
    if (Object.values(data).some((value) => value === null)) throw new Error(`no answer to ${query} with ${JSON.stringify(variables)}`);
    return ms;
  };
  const next = random(77);
  // The loaded logs' ids, picked from in a seeded order like the traces.
  const logIds = await withClient(databaseUrl, async (client) =>
    (await client.query<{ id: string }>(`select id::text from app_log where app_id like 'bench-app-%' order by id`)).rows.map(
      (row) => row.id,
    ),
  );
  const nextLog = random(79);
  const trace: number[] = [];
  const page: number[] = [];
  const sessions: number[] = [];
  const logDetail: number[] = [];
  for (let i = -2; i < iterations; i++) {
    const id = `${Math.floor(next() * traceCount) + 1}`;
    const t = await timed(TRACE, { id: createHash('md5').update(`t${id}`).digest('hex') });
    const p = await timed(TRACES);
    const s = await timed(SESSIONS);
    const l = await timed(LOG_DETAIL, { id: logIds[Math.floor(nextLog() * logIds.length)] });
    if (i >= 0) {
      trace.push(t);
      page.push(p);
      sessions.push(s);
      logDetail.push(l);
    }
  }
  const partitions = await withClient(databaseUrl, async (client) =>
    Number((await client.query(`select count(*) as n from pg_inherits where inhparent = 'span'::regclass`)).rows[0].n),
  );
  return {
    spans: traceCount * 10,
    traces: traceCount,
    partitions,
    trace: percentiles(trace),
    tracesPage: percentiles(page),
    sessionsPage: percentiles(sessions),
    logDetail: percentiles(logDetail),
  };
}
