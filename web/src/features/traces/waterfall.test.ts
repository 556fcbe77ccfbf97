import { describe, expect, it } from 'vitest';

import { axisTicks, buildWaterfall, PLACEHOLDER_KEY, prettyJson } from './waterfall';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 4, 12, 0, 0) + seconds * 1000).toISOString();
const span = (spanId: string, parentSpanId: string | null, from: number, to: number) => ({
  spanId,
  parentSpanId,
  startTime: at(from),
  endTime: at(to),
});
const shape = (spans: ReturnType<typeof span>[]) => buildWaterfall(spans).rows.map((row) => [row.span?.spanId ?? row.key, row.depth]);

describe('buildWaterfall', () => {
  it('follows parent links, not start times: a root that started after its children stays on top', () => {
    // Dify: the root "Dify" is created when the trace is exported, after its children ran.
    const spans = [
      span('llm', 'workflow', 1, 3),
      span('tool', 'workflow', 3, 4),
      span('workflow', 'root', 0, 4),
      span('root', null, 10, 10),
    ];
    expect(shape(spans)).toEqual([
      ['root', 0],
      ['workflow', 1],
      ['llm', 2],
      ['tool', 2],
    ]);
  });

  it('orders siblings by start and places bars on the extent of every span', () => {
    const { rows, durationMs } = buildWaterfall([span('root', null, 0, 8), span('late', 'root', 6, 8), span('early', 'root', 2, 4)]);
    expect(durationMs).toBe(8000);
    expect(rows.map((row) => [row.span!.spanId, row.offset, row.width])).toEqual([
      ['root', 0, 1],
      ['early', 0.25, 0.25],
      ['late', 0.75, 0.25],
    ]);
    expect(rows.map((row) => row.hasChildren)).toEqual([true, false, false]);
  });

  it('hangs spans whose parent never arrived, with their children, under one placeholder root', () => {
    const spans = [span('child', 'orphan', 3, 4), span('orphan', 'gone', 2, 5), span('other', 'gone-too', 6, 7)];
    const { rows } = buildWaterfall(spans);
    expect(shape(spans)).toEqual([
      [PLACEHOLDER_KEY, 0],
      ['orphan', 1],
      ['child', 2],
      ['other', 1],
    ]);
    expect(rows[0]).toMatchObject({ span: null, offset: 0, width: 1 });
  });

  it('shows every span once even when parent links form a cycle', () => {
    const spans = [span('root', null, 0, 4), span('a', 'b', 1, 2), span('b', 'a', 2, 3)];
    const rows = shape(spans);
    expect(rows.map(([id]) => id).sort()).toEqual(['a', 'b', 'missing-root', 'root']);
    expect(rows[0]).toEqual(['root', 0]);
  });

  it('lays out an empty trace and one of zero duration without dividing by zero', () => {
    expect(buildWaterfall([])).toEqual({ rows: [], startMs: 0, durationMs: 0 });
    expect(buildWaterfall([span('only', null, 1, 1)]).rows[0]).toMatchObject({ offset: 0, width: 1 });
  });
});

describe('prettyJson', () => {
  it('indents JSON objects and arrays and leaves other text alone', () => {
    expect(prettyJson('{"query":"Where?"}')).toBe('{\n  "query": "Where?"\n}');
    expect(prettyJson('[1]')).toBe('[\n  1\n]');
    expect(prettyJson('plain answer')).toBe('plain answer');
    expect(prettyJson('{not json')).toBe('{not json');
    expect(prettyJson(null)).toBeNull();
  });
});

describe('axisTicks', () => {
  it('spaces ticks evenly over the duration', () => {
    expect(axisTicks(1000, 4)).toEqual([
      { offset: 0, ms: 0 },
      { offset: 0.25, ms: 250 },
      { offset: 0.5, ms: 500 },
      { offset: 0.75, ms: 750 },
      { offset: 1, ms: 1000 },
    ]);
  });
});
