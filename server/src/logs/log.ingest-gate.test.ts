import { describe, expect, it } from 'vitest';

import { deferred } from '../test/deferred.js';
import { IngestGate } from './log.ingest-gate.js';

describe(IngestGate.name, () => {
  it('runs at most `limit` at once and the rest in order as slots free', async () => {
    const sut = new IngestGate(2);
    const releases = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const runs = releases.map((release, i) => sut.run(async () => (started.push(i), release.promise)));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    releases[1]!.resolve();
    await runs[1];
    expect(started).toEqual([0, 1, 2]);
    releases[0]!.resolve();
    releases[2]!.resolve();
    await Promise.all([runs[0], runs[2]]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    releases[3]!.resolve();
    releases[4]!.resolve();
    await Promise.all(runs);
  });

  it('frees the slot of work that fails', async () => {
    const sut = new IngestGate(1);
    await expect(sut.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await sut.run(async () => 'next')).toBe('next');
  });
});
