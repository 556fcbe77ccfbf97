import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';
import type { AlertEvent } from '../alerts/alert-events.js';
import { connectRedis } from '../db/redis.js';
import { RedisEventTarget } from './redis-event-target.js';

/**
 * Events pushed to subscriptions, by topic, with their payload types. Features add their topics here so
 * that publishers and subscribers agree on names and payloads. Payloads are plain JSON: with REDIS_URL
 * they travel between replicas.
 */
export interface LumenTopics {
  alertFired: AlertEvent;
  alertUpdated: AlertEvent;
}

export type LumenPubSub = PubSub<{ [K in keyof LumenTopics]: [LumenTopics[K]] }> & {
  /** Closes the Redis connections, if any. */
  close(): Promise<void>;
};

type EventTargetOption = NonNullable<Parameters<typeof createPubSub<{ [K in keyof LumenTopics]: [LumenTopics[K]] }>>[0]>['eventTarget'];

/**
 * In-process pub/sub; with a Redis URL, events also travel between replicas through Redis pub/sub
 * (RedisEventTarget), on a publishing and a subscribing connection of their own.
 */
export function createLumenPubSub(redis?: { url: string; log: Logger }): LumenPubSub {
  if (!redis) return Object.assign(createPubSub<{ [K in keyof LumenTopics]: [LumenTopics[K]] }>(), { close: async () => undefined });
  const publisher = connectRedis(redis.url, redis.log, 'pubsub-publish');
  // The subscriber queues its SUBSCRIBE commands while disconnected and re-subscribes after a reconnect.
  const subscriber = connectRedis(redis.url, redis.log, 'pubsub-subscribe', { offlineQueue: true });
  const target = new RedisEventTarget(publisher, subscriber, redis.log);
  const pubsub = createPubSub<{ [K in keyof LumenTopics]: [LumenTopics[K]] }>({ eventTarget: target as unknown as EventTargetOption });
  return Object.assign(pubsub, {
    async close() {
      await Promise.all([publisher, subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  });
}
