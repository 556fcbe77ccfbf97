import { describe, expect, it } from 'vitest';

import { testDatabases } from '../test/databases.js';
import { spanRecord } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';
import { COPY_MIN_SPANS, SpanIngestService, type SpanRecord } from './span.ingest.js';
import { SpanKind, SpanStatus } from './span.types.js';

const base = Date.parse('2026-06-01T10:00:00Z');

const span = (traceId: string, spanId: string, parentSpanId: string | null, offsetMs: number, extra: Partial<SpanRecord> = {}) =>
  spanRecord({
    traceId,
    spanId,
    parentSpanId,
    name: parentSpanId === null ? 'root' : `step-${spanId}`,
    startTime: new Date(base + offsetMs),
    appId: 'ingest-app',
    ...extra,
  });

interface SummaryRow {
  trace_id: string;
  name: string | null;
  has_root: boolean;
  session_id: string | null;
  user_id: string | null;
  start_time: Date;
  end_time: Date;
  span_count: number;
  error_count: number;
}

describe.each(testDatabases())('storing spans on $name', (database) => {
  const sut = useTestLumen(database);
  const sql = () => sut.lumen.services.sql;
  const summaries = (traceIds: string[]) =>
    sql().query<SummaryRow>(
      `select trace_id, name, has_root, session_id, user_id, start_time, end_time, span_count, error_count
         from trace_summary where trace_id = any($1::text[]) order by trace_id`,
      [traceIds],
    );

  // Both ways of writing are run through every test on PostgreSQL; the embedded database has no COPY.
  const paths =
    database.name === 'postgres'
      ? [
          { path: 'COPY', copyMinSpans: 1 },
          { path: 'INSERT', copyMinSpans: Number.POSITIVE_INFINITY },
        ]
      : [{ path: 'INSERT', copyMinSpans: 1 }];
  const ingest = (copyMinSpans: number) =>
    new SpanIngestService(sql(), { redact: null, storeContent: true, contentMaxBytes: 65_536 }, { copyMinSpans });
  /** Each path stores the same traces: what the other left is removed first. */
  const forget = (traceIds: string[]) =>
    sql().transaction(async (query) => {
      await query('delete from span where trace_id = any($1::text[])', [traceIds]);
      await query('delete from trace_summary where trace_id = any($1::text[])', [traceIds]);
    });

  it('writes by COPY on PostgreSQL only, and only batches of COPY_MIN_SPANS spans or more', async () => {
    const batch = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => span(prefix.repeat(16), `${prefix}${i.toString(16).padStart(14, '0')}`, null, i));
    const copied: number[] = [];
    for (const [n, prefix] of [
      [1, 'e1'],
      [COPY_MIN_SPANS - 1, 'e2'],
      [COPY_MIN_SPANS, 'e3'],
    ] as const) {
      await sql().transaction(async (query) => {
        // The embedded database has no COPY from the driver; it stores by the INSERT.
        expect(typeof query.copy).toBe(database.name === 'postgres' ? 'function' : 'undefined');
        const recording: typeof query = Object.assign((text: Parameters<typeof query>[0], values?: unknown[]) => query(text, values), {
          copy: query.copy && ((statement: string, rows: string) => (copied.push(n), query.copy!(statement, rows))),
        }) as typeof query;
        await sut.lumen.services.spanIngest.store(batch(n, prefix), recording);
      });
      const [{ stored }] = await sql().query<{ stored: number }>('select count(*)::int as stored from span where trace_id = $1', [
        prefix.repeat(16),
      ]);
      expect(stored).toBe(n);
    }
    expect(copied).toEqual(database.name === 'postgres' ? [COPY_MIN_SPANS] : []);
  });

  it.each(paths)(
    "marks a conversation-naming span's trace with the name, redacted and capped, and with '' when content is not stored ($path)",
    async ({ copyMinSpans }) => {
      const [named, unstored, plain] = ['c1', 'c2', 'c3'].map((p) => p.repeat(16)) as [string, string, string];
      await forget([named, unstored, plain]);
      const naming = (traceId: string, name: string) => [
        span(traceId, `${traceId.slice(0, 2)}00000000000001`, null, 0, { name: 'Dify' }),
        span(traceId, `${traceId.slice(0, 2)}00000000000002`, `${traceId.slice(0, 2)}00000000000001`, 1, {
          name: 'generate_conversation_name',
          sessionId: 'conv-named',
          conversationName: name,
        }),
      ];
      const redact = (text: string) => text.replace(/\d{4}-\d{4}/g, '[card]');
      await new SpanIngestService(sql(), { redact, storeContent: true, contentMaxBytes: 65_536 }, { copyMinSpans }).store(
        naming(named, `Card 1234-5678 ${'x'.repeat(300)}`),
      );
      await new SpanIngestService(sql(), { redact: null, storeContent: false, contentMaxBytes: 65_536 }, { copyMinSpans }).store(
        naming(unstored, 'A private topic'),
      );
      await ingest(copyMinSpans).store([span(plain, 'c300000000000001', null, 0)]);
      const rows = await sql().query<{ trace_id: string; conversation_name: string | null }>(
        'select trace_id, conversation_name from trace_summary where trace_id = any($1::text[]) order by trace_id',
        [[named, unstored, plain]],
      );
      expect(rows).toEqual([
        { trace_id: named, conversation_name: `Card [card] ${'x'.repeat(256 - 'Card [card] '.length)}` },
        { trace_id: unstored, conversation_name: '' },
        { trace_id: plain, conversation_name: null },
      ]);
    },
  );

  it.each(paths)('keeps every character of names, content and attributes as sent ($path)', async ({ copyMinSpans }) => {
    const odd = 'tab\there, line\nbreak, return\r, backslash \\ and \\N, "quotes", 中文, emoji 🚀';
    const traceId = 'a1'.repeat(16);
    await forget([traceId]);
    await ingest(copyMinSpans).store([
      span(traceId, 'a100000000000001', null, 0, {
        name: odd,
        input: odd,
        output: '\\N',
        errorMessage: odd,
        status: SpanStatus.ERROR,
        attributes: { [odd]: odd, nested: { list: [odd, 1, true, null] } },
        sessionId: 'session \\ one',
        userId: '\\N',
      }),
      span(traceId, 'a100000000000002', 'a100000000000001', 5, {
        input: '',
        output: null,
        // What PostgreSQL cannot store (NUL, a lone surrogate) becomes U+FFFD, in keys and values alike.
        attributes: { 'nul\u0000key': ['lone \ud800 surrogate', { deep: 'nul \u0000' }], plain: 'kept' },
      }),
    ]);
    const rows = await sql().query<Record<string, unknown>>(
      `select span_id, name, input, output, error_message, attributes, session_id, user_id, status
         from span where trace_id = $1 order by span_id`,
      [traceId],
    );
    expect(rows).toEqual([
      {
        span_id: 'a100000000000001',
        name: odd,
        input: odd,
        output: '\\N',
        error_message: odd,
        attributes: { [odd]: odd, nested: { list: [odd, 1, true, null] } },
        session_id: 'session \\ one',
        user_id: '\\N',
        status: 'ERROR',
      },
      {
        span_id: 'a100000000000002',
        name: 'step-a100000000000002',
        input: '',
        output: null,
        error_message: null,
        attributes: { 'nul\uFFFDkey': ['lone \uFFFD surrogate', { deep: 'nul \uFFFD' }], plain: 'kept' },
        session_id: null,
        user_id: null,
        status: 'OK',
      },
    ]);
  });

  it.each(paths)('stores every column of a span as given ($path)', async ({ copyMinSpans }) => {
    // Every field set, and no two alike, so a column written in another's place shows; content is
    // capped at 10 bytes, so that only the input is cut.
    const traceId = 'd1'.repeat(16);
    await forget([traceId]);
    const capped = new SpanIngestService(sql(), { redact: null, storeContent: true, contentMaxBytes: 10 }, { copyMinSpans });
    await capped.store([
      span(traceId, 'd100000000000002', 'd100000000000001', 25, {
        name: 'retrieve',
        kind: SpanKind.RETRIEVER,
        endTime: new Date(base + 25 + 1234),
        durationMs: 1234,
        status: SpanStatus.ERROR,
        errorMessage: 'index unavailable',
        input: 'the question',
        output: 'passages',
        attributes: { 'retrieval.top_k': 5, ok: false },
        appId: 'app-d',
        sessionId: 'session-d',
        userId: 'user-d',
        model: 'embed-small',
        provider: 'openai',
        inputTokens: 17,
        outputTokens: 3,
      }),
    ]);
    const [row] = await sql().query<Record<string, unknown>>(
      `select trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status, error_message, input, output,
              input_truncated, output_truncated, attributes, app_id, session_id, user_id, model, provider, input_tokens, output_tokens
         from span where trace_id = $1`,
      [traceId],
    );
    expect(row).toEqual({
      trace_id: traceId,
      span_id: 'd100000000000002',
      parent_span_id: 'd100000000000001',
      name: 'retrieve',
      kind: 'RETRIEVER',
      start_time: new Date(base + 25),
      end_time: new Date(base + 25 + 1234),
      duration_ms: 1234,
      status: 'ERROR',
      error_message: 'index unavailable',
      input: 'the questi',
      output: 'passages',
      input_truncated: true,
      output_truncated: false,
      attributes: { 'retrieval.top_k': 5, ok: false },
      app_id: 'app-d',
      session_id: 'session-d',
      user_id: 'user-d',
      model: 'embed-small',
      provider: 'openai',
      input_tokens: 17,
      output_tokens: 3,
    });
  });

  it.each(paths)(
    'stores a batch that repeats stored spans once, and counts each span once in its trace ($path)',
    async ({ copyMinSpans }) => {
      const first = 'b1'.repeat(16);
      const second = 'b2'.repeat(16);
      await forget([first, second]);
      const stored = [
        span(first, 'b100000000000003', 'b100000000000001', 300),
        span(first, 'b100000000000002', 'b100000000000001', 200, { status: SpanStatus.ERROR }),
      ];
      await ingest(copyMinSpans).store(stored);
      // An exporter's retry of those two, with the root and one more child, and a span of another trace.
      await ingest(copyMinSpans).store([
        ...stored,
        span(first, 'b100000000000001', null, 0, { sessionId: 'conversation-b', userId: 'user-b' }),
        span(first, 'b100000000000004', 'b100000000000001', 900, { status: SpanStatus.ERROR }),
        span(second, 'b200000000000001', null, 50),
      ]);
      const counted = await sql().query<{ trace_id: string; n: number }>(
        'select trace_id, count(*)::int as n from span where trace_id = any($1::text[]) group by trace_id order by trace_id',
        [[first, second]],
      );
      expect(counted).toEqual([
        { trace_id: first, n: 4 },
        { trace_id: second, n: 1 },
      ]);
      expect(await summaries([first, second])).toEqual([
        {
          trace_id: first,
          name: 'root',
          has_root: true,
          session_id: 'conversation-b',
          user_id: 'user-b',
          start_time: new Date(base),
          end_time: new Date(base + 1000),
          span_count: 4,
          error_count: 2,
        },
        {
          trace_id: second,
          name: 'root',
          has_root: true,
          session_id: null,
          user_id: null,
          start_time: new Date(base + 50),
          end_time: new Date(base + 150),
          span_count: 1,
          error_count: 0,
        },
      ]);
    },
  );

  it.each(paths)(
    'keeps summaries equal to the stored spans over batches that split traces in any order ($path)',
    async ({ copyMinSpans }) => {
      // 40 traces of 1 to 7 spans, shuffled and cut into batches of 13: most traces arrive in pieces,
      // some children before their root, and every fifth batch is sent twice.
      let seed = 7;
      const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      const spans: SpanRecord[] = [];
      const traceIds: string[] = [];
      for (let t = 0; t < 40; t++) {
        const traceId = `c${t.toString(16).padStart(31, '0')}`;
        traceIds.push(traceId);
        const rootId = `c${t.toString(16).padStart(3, '0')}000000000000`;
        const count = 1 + Math.floor(next() * 7);
        for (let s = 0; s < count; s++) {
          spans.push(
            span(
              traceId,
              s === 0 ? rootId : `c${t.toString(16).padStart(3, '0')}${s.toString(16).padStart(12, '0')}`,
              s === 0 ? null : rootId,
              t * 10_000 + Math.floor(next() * 5_000),
              {
                status: next() < 0.2 ? SpanStatus.ERROR : SpanStatus.OK,
                sessionId: s === count - 1 ? `session-${t % 5}` : null,
              },
            ),
          );
        }
      }
      await forget(traceIds);
      const shuffled = spans
        .map((s) => ({ s, key: next() }))
        .sort((a, b) => a.key - b.key)
        .map(({ s }) => s);
      for (let i = 0, batch = 0; i < shuffled.length; i += 13, batch++) {
        await ingest(copyMinSpans).store(shuffled.slice(i, i + 13));
        if (batch % 5 === 0) await ingest(copyMinSpans).store(shuffled.slice(i, i + 13));
      }
      const fromSpans = await sql().query<SummaryRow>(
        `select trace_id, min(name) filter (where parent_span_id is null) as name, bool_or(parent_span_id is null) as has_root,
              min(session_id) as session_id, min(user_id) as user_id, min(start_time) as start_time, max(end_time) as end_time,
              count(*)::int as span_count, (count(*) filter (where status = 'ERROR'))::int as error_count
         from span where trace_id = any($1::text[]) group by trace_id order by trace_id`,
        [traceIds],
      );
      expect(fromSpans).toHaveLength(40);
      expect(fromSpans.reduce((sum, row) => sum + row.span_count, 0)).toBe(spans.length);
      expect(await summaries(traceIds)).toEqual(fromSpans);
    },
  );
});
