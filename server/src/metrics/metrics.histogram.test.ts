import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { percentileCont } from '../test/metrics-fixture.js';
import { binEstimate, LATENCY_BIN_LOWER, latencyBin, latencyBinThresholdsLiteral, LatencyHistogram } from './metrics.histogram.js';

function histogramOf(values: number[]): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.add(latencyBin(value), 1);
  return histogram;
}

describe(LatencyHistogram.name, () => {
  it('estimates every latency within 1 % of itself', () => {
    for (let value = 0; value < 200_000; value += value < 1000 ? 1 : 97) {
      expect(Math.abs(binEstimate(latencyBin(value)) - value)).toBeLessThanOrEqual(value * 0.0091);
    }
    expect(LATENCY_BIN_LOWER.length).toBeLessThan(1100);
  });

  it('bins raw int4 values (as int4send writes them) like latencyBin', () => {
    const values = [0, 7, 55, 56, 980, 980, 12_345, 2_000_000_000];
    const bytes = Buffer.alloc(values.length * 4);
    values.forEach((value, i) => bytes.writeInt32BE(value, i * 4));
    const sut = new LatencyHistogram().addValues(bytes);
    expect(sut.total).toBe(values.length);
    for (const p of [0, 0.25, 0.5, 0.75, 1]) expect(sut.percentile(p)).toBe(histogramOf(values).percentile(p));
  });

  it('interpolates percentiles like percentile_cont, within 1 %', () => {
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const size of [1, 2, 3, 10, 101, 5000]) {
      const values = Array.from({ length: size }, () => Math.round(Math.exp(2 + next() * 9)));
      const sut = histogramOf(values);
      for (const p of [0, 0.5, 0.95, 0.99, 1]) {
        const exact = percentileCont(values, p)!;
        expect(Math.abs(sut.percentile(p)! - exact)).toBeLessThanOrEqual(exact * 0.01);
      }
    }
  });

  it('gives exact values below 55 ms and null when empty', () => {
    expect(histogramOf([3, 7, 9]).percentile(0.5)).toBe(7);
    expect(new LatencyHistogram().percentile(0.5)).toBeNull();
  });

  it('reads the stored form: uint16 bin and int32 count per entry, big-endian', () => {
    const bytes = Buffer.from([0, 7, 0, 0, 0, 2, 0x03, 0xe8, 0, 0, 0, 1]);
    const sut = new LatencyHistogram().addEncoded(bytes);
    expect(sut.total).toBe(3);
    expect(sut.percentile(0)).toBe(7);
    expect(sut.percentile(1)).toBe(binEstimate(1000));
  });

  it('uses the same bin bounds as the SQL function in the migration', () => {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../db/migrations');
    const migration = readFileSync(path.join(dir, 'Migration20261125133817_metric_rollups.ts'), 'utf8');
    expect(migration).toContain(`width_bucket(latency_ms, '${latencyBinThresholdsLiteral()}'::integer[])`);
  });
});
