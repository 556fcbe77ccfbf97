import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { deferred } from '../test/deferred.js';
import { PeriodicJob } from './periodic-job.js';

const silent = pino({ level: 'silent' });

describe(PeriodicJob.name, () => {
  it('survives a failing run and keeps running', async () => {
    let runs = 0;
    const third = deferred();
    const sut = new PeriodicJob(
      'flaky',
      5,
      async () => {
        runs++;
        if (runs === 3) third.resolve();
        if (runs < 3) throw new Error('boom');
      },
      silent,
    );
    sut.start({ runNow: true });
    await third.promise;
    await sut.stop();
    expect(runs).toBe(3);
  });

  it('waits for a run under way when stopped, and runs no more after', async () => {
    const release = deferred();
    const began = deferred();
    let finished = false;
    let runs = 0;
    const sut = new PeriodicJob(
      'slow',
      1,
      async () => {
        runs++;
        began.resolve();
        await release.promise;
        finished = true;
      },
      silent,
    );
    sut.start({ runNow: true });
    await began.promise;
    const stopping = sut.stop();
    release.resolve();
    await stopping;
    expect(finished).toBe(true);
    expect(runs).toBe(1);
  });

  it('never overlaps runs', async () => {
    let active = 0;
    let maxActive = 0;
    const sut = new PeriodicJob(
      'overlap',
      1,
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
      },
      silent,
    );
    await Promise.all([sut.runOnce(), sut.runOnce(), sut.runOnce()]);
    expect(maxActive).toBe(1);
  });
});
