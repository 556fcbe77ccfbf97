import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';

import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './rate-limit.limiter.js';

const rules = { ingest: { perSecond: 2, burst: 3 }, read: { perSecond: 0, burst: 1 } };
const silent = pino({ level: 'silent' });

async function takeMany(limiter: RateLimiter, key: string, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await limiter.take('ingest', key));
  return decisions;
}

describe(MemoryRateLimiter.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('allows a burst, then refuses with the wait until the next token', async () => {
    vi.useFakeTimers({ now: 0 });
    const sut = new MemoryRateLimiter(rules);
    const decisions = await takeMany(sut, 'k1', 4);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]!.retryAfterSeconds).toBe(1);
    vi.setSystemTime(600);
    expect((await sut.take('ingest', 'k1')).allowed).toBe(true);
  });

  it('keeps keys apart and lets a rate of 0 mean no limit', async () => {
    const sut = new MemoryRateLimiter(rules);
    await takeMany(sut, 'a', 3);
    expect((await sut.take('ingest', 'a')).allowed).toBe(false);
    expect((await sut.take('ingest', 'b')).allowed).toBe(true);
    expect((await takeMany(sut, 'a', 50)).filter((d) => d.allowed).length).toBe(0);
    const unlimited = await Promise.all(Array.from({ length: 100 }, () => sut.take('read', 'a')));
    expect(unlimited.every((d) => d.allowed)).toBe(true);
  });
});

const redisUrl = inject('redisUrl');
// Registered only when Redis answered in the global setup (which says so when it did not).
if (redisUrl)
  describe(RedisRateLimiter.name, () => {
    const redis = new Redis(redisUrl, { lazyConnect: true });
    afterAll(async () => {
      await redis.quit();
    });

    it('shares one bucket between limiters on the same Redis, as replicas do', async () => {
      const key = randomUUID();
      const replicaA = new RedisRateLimiter(redis, rules, silent);
      const replicaB = new RedisRateLimiter(redis, rules, silent);
      const decisions = [...(await takeMany(replicaA, key, 2)), ...(await takeMany(replicaB, key, 2))];
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(decisions[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });

    it('allows requests when Redis cannot be reached', async () => {
      const unreachable = new Redis('redis://127.0.0.1:1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      });
      unreachable.on('error', () => undefined);
      const sut = new RedisRateLimiter(unreachable, rules, silent);
      expect((await takeMany(sut, 'x', 5)).every((d) => d.allowed)).toBe(true);
      unreachable.disconnect();
    });
  });
