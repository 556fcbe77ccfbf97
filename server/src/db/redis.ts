import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection that reconnects by itself with capped backoff and fails commands fast while the
 * link is down, so callers can fall back instead of waiting.
 */
export function connectRedis(url: string, log: Logger, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: `lumen-${name}`,
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) log.warn({ err: error, redis: name }, 'Redis unavailable; retrying');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ redis: name }, 'Redis reconnected');
    down = false;
  });
  return redis;
}
