import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection that reconnects by itself with capped backoff and, by default, fails commands fast
 * while the link is down, so callers can fall back instead of waiting. `offlineQueue: true` keeps
 * commands until the link is back instead (a subscriber's SUBSCRIBE).
 */
export function connectRedis(url: string, log: Logger, name: string, options: { offlineQueue?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `lumen-${name}`,
    lazyConnect: false,
    maxRetriesPerRequest: options.offlineQueue ? null : 1,
    enableOfflineQueue: options.offlineQueue ?? false,
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
