import { beforeAll, describe, expect, it } from 'vitest';

import { alertTestConfig, createRule, recordsOf } from '../test/alerts.js';
import { testDatabases } from '../test/databases.js';
import { INGEST_LOGS, logInput, type IngestPayload } from '../test/factories.js';
import { useTestLumen } from '../test/lumen.js';

/**
 * Ten calls of app "metrics-app" (model gpt-4o) in the last minutes: latencies 100..1000 ms, three
 * errors, 30 + 10·i tokens, 0.0125 each; and two calls of another model that only unscoped rules see.
 * percentile_cont over 100..1000: p50 550, p95 955, p99 991. The even ones stream, with a first token
 * after a fifth of their latency (20, 60, 100, 140, 180 ms: p50 100, p95 172); output tokens per second:
 * 325 tokens over 5 s of generation (4/5 of the streamed latencies, all of the others) = 65.
 */
const EXPECTED = {
  ERROR_RATE: '0.3',
  LATENCY_AVG: '550',
  LATENCY_P50: '550',
  LATENCY_P95: '955',
  LATENCY_P99: '991',
  COST: '0.125',
  TOKENS: '750',
  REQUEST_COUNT: '10',
  TTFT_P50: '100',
  TTFT_P95: '172',
  OUTPUT_TOKENS_PER_SECOND: '65',
} as const;

describe.each(testDatabases())('alert rules on call metrics on $name', (database) => {
  // Previews step by the evaluation interval: one minute, as by default.
  const sut = useTestLumen(database, { ...alertTestConfig(), alertEvalIntervalSeconds: 60 });
  const evaluate = () => sut.lumen.services.alerts.engine.evaluateNow();
  const ingest = async (logs: Record<string, unknown>[]) => {
    const result = await sut.gql<IngestPayload>(INGEST_LOGS, { logs });
    expect(result.data!.ingestLogs.accepted).toBe(logs.length);
  };

  beforeAll(async () => {
    const now = Date.now();
    await ingest(
      Array.from({ length: 10 }, (_, i) =>
        logInput({
          appId: 'metrics-app',
          model: 'gpt-4o',
          timestamp: new Date(now - (i + 1) * 10_000).toISOString(),
          latencyMs: (i + 1) * 100,
          timeToFirstTokenMs: i % 2 === 0 ? (i + 1) * 20 : null,
          inputTokens: 20 + 5 * i,
          outputTokens: 10 + 5 * i,
          cost: '0.0125',
          ...(i < 3 ? { status: 'ERROR', errorType: 'rate_limit' } : {}),
        }),
      ),
    );
    await ingest(
      [0, 1].map((i) =>
        logInput({
          appId: 'metrics-app',
          model: 'claude-sonnet-4',
          timestamp: new Date(now - (i + 1) * 5_000).toISOString(),
          latencyMs: 99_999,
          cost: '5',
        }),
      ),
    );
  });

  it.each(Object.entries(EXPECTED))('fires on %s at exactly its value over the window, and not beyond it', async (metric, value) => {
    const at = await createRule(sut, {
      metric,
      operator: 'GTE',
      threshold: value,
      appId: 'metrics-app',
      model: 'gpt-4o',
      windowMinutes: 10,
    });
    const beyond = await createRule(sut, {
      metric,
      operator: 'GT',
      threshold: value,
      appId: 'metrics-app',
      model: 'gpt-4o',
      windowMinutes: 10,
    });
    await evaluate();
    const [fired] = await recordsOf(sut, at.id);
    expect(fired).toMatchObject({ status: 'FIRING', metric, value, threshold: value });
    expect(await recordsOf(sut, beyond.id)).toEqual([]);
  });

  it('sees every model of the app when the rule names none', async () => {
    const rule = await createRule(sut, {
      metric: 'REQUEST_COUNT',
      operator: 'GTE',
      threshold: '12',
      appId: 'metrics-app',
      windowMinutes: 10,
    });
    const cost = await createRule(sut, { metric: 'COST', operator: 'EQ', threshold: '10.125', appId: 'metrics-app', windowMinutes: 10 });
    await evaluate();
    expect((await recordsOf(sut, rule.id))[0]).toMatchObject({ value: '12' });
    expect((await recordsOf(sut, cost.id))[0]).toMatchObject({ value: '10.125' });
  });

  it('does not judge a window with fewer calls than minSamples', async () => {
    const rule = await createRule(sut, {
      metric: 'ERROR_RATE',
      operator: 'GT',
      threshold: '0.1',
      appId: 'metrics-app',
      model: 'gpt-4o',
      minSamples: 11,
      windowMinutes: 10,
    });
    await evaluate();
    expect(await recordsOf(sut, rule.id)).toEqual([]);
  });

  it('fires when throughput falls below a floor, and judges TTFT on the calls that report one', async () => {
    const slow = await createRule(sut, {
      metric: 'OUTPUT_TOKENS_PER_SECOND',
      operator: 'LT',
      threshold: '70',
      appId: 'metrics-app',
      model: 'gpt-4o',
      windowMinutes: 10,
    });
    const fast = await createRule(sut, {
      metric: 'OUTPUT_TOKENS_PER_SECOND',
      operator: 'LT',
      threshold: '60',
      appId: 'metrics-app',
      model: 'gpt-4o',
      windowMinutes: 10,
    });
    // Ten calls, but only five report a TTFT.
    const judged = await createRule(sut, {
      metric: 'TTFT_P95',
      operator: 'GT',
      threshold: '0',
      appId: 'metrics-app',
      model: 'gpt-4o',
      minSamples: 5,
    });
    const unjudged = await createRule(sut, {
      metric: 'TTFT_P95',
      operator: 'GT',
      threshold: '0',
      appId: 'metrics-app',
      model: 'gpt-4o',
      minSamples: 6,
    });
    await evaluate();
    expect((await recordsOf(sut, slow.id))[0]).toMatchObject({ status: 'FIRING', value: '65' });
    expect(await recordsOf(sut, fast.id)).toEqual([]);
    expect((await recordsOf(sut, judged.id))[0]).toMatchObject({ status: 'FIRING', value: '172' });
    expect(await recordsOf(sut, unjudged.id)).toEqual([]);
  });

  it('fires on a silent app with REQUEST_COUNT LT 1 and minSamples 0', async () => {
    const rule = await createRule(sut, { metric: 'REQUEST_COUNT', operator: 'LT', threshold: '1', appId: 'silent-app', minSamples: 0 });
    await evaluate();
    expect((await recordsOf(sut, rule.id))[0]).toMatchObject({ status: 'FIRING', value: '0' });
  });

  it('leaves latency and rate rules unjudged over an empty window', async () => {
    const rule = await createRule(sut, { metric: 'LATENCY_P95', operator: 'LT', threshold: '1000', appId: 'silent-app', minSamples: 0 });
    await evaluate();
    expect(await recordsOf(sut, rule.id)).toEqual([]);
  });

  it('previews a rule on call metrics over past traffic', async () => {
    const minute = 60_000;
    const start = Math.floor(Date.now() / minute) * minute - 90 * minute;
    const at = (minutes: number) => new Date(start + minutes * minute);
    await ingest([
      logInput({ appId: 'preview-app', timestamp: at(30.5).toISOString(), status: 'ERROR', errorType: 'timeout' }),
      logInput({ appId: 'preview-app', timestamp: at(31.5).toISOString(), status: 'ERROR', errorType: 'timeout' }),
      ...[1, 2, 3].map(() => logInput({ appId: 'preview-app', timestamp: at(50.5).toISOString() })),
    ]);
    const result = await sut.gql<{
      previewAlertRule: { wouldFire: boolean; firings: unknown[]; points: { at: string; value: string | null; samples: number }[] };
    }>(
      `mutation($input: AlertRuleInput!, $range: TimeRangeInput!) {
        previewAlertRule(input: $input, range: $range) { wouldFire firings { firedAt resolvedAt value } points { at value samples } }
      }`,
      {
        input: { name: 'p', metric: 'ERROR_RATE', operator: 'GT', threshold: '0.5', windowMinutes: 5, appId: 'preview-app' },
        range: { from: at(0).toISOString(), to: at(60).toISOString() },
      },
    );
    const preview = result.data!.previewAlertRule;
    expect(preview.firings).toEqual([{ firedAt: at(31).toISOString(), resolvedAt: at(37).toISOString(), value: '1' }]);
    expect(preview.points[52]).toEqual({ at: at(53).toISOString(), value: '0', samples: 3 });
  });
});
