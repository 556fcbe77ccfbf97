import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import type { Logger } from 'pino';

import { connectRedis } from '../db/redis.js';
import { RedisEventTarget } from './redis-event-target.js';
import { TopicEventTarget } from './topic-event-target.js';

/**
 * Events pushed to subscriptions, by topic, with their payload types. Empty here: each feature adds its
 * own topics beside its events, by module augmentation (`declare module '../graphql/pubsub.js'`), so
 * that publishers and subscribers agree on names and payloads and this shared file names no feature.
 * Payloads are plain JSON: with REDIS_URL they travel between replicas.
 */
export interface LumenTopics {}

type Topics = { [K in keyof LumenTopics]: [LumenTopics[K]] };

export type LumenPubSub = PubSub<Topics> & {
  /** Resolves once a topic has `count` subscribers on this replica, reachable by events of every replica. */
  whenSubscribed(topic: keyof LumenTopics, count?: number): Promise<void>;
  /** Resolves once events can travel between replicas (at once without Redis). */
  whenConnected(): Promise<void>;
  /** Closes the Redis connections, if any. */
  close(): Promise<void>;
};

type EventTargetOption = NonNullable<Parameters<typeof createPubSub<Topics>>[0]>['eventTarget'];

/**
 * In-process pub/sub (TopicEventTarget); with a Redis URL, events also travel between replicas through
 * Redis pub/sub (RedisEventTarget), on a publishing and a subscribing connection of their own.
 */
export function createLumenPubSub(redis?: { url: string; log: Logger }): LumenPubSub {
  if (!redis) return withTarget(new TopicEventTarget(), async () => undefined);
  const publisher = connectRedis(redis.url, redis.log, 'pubsub-publish');
  // The subscriber queues its SUBSCRIBE commands while disconnected and re-subscribes after a reconnect.
  const subscriber = connectRedis(redis.url, redis.log, 'pubsub-subscribe', { offlineQueue: true });
  return withTarget(new RedisEventTarget(publisher, subscriber, redis.log), async () => {
    await Promise.all([publisher, subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
  });
}

function withTarget(target: TopicEventTarget, close: () => Promise<void>): LumenPubSub {
  const pubsub = createPubSub<Topics>({ eventTarget: target as unknown as EventTargetOption });
  return Object.assign(pubsub, {
    whenSubscribed: (topic: keyof LumenTopics, count?: number) => target.whenSubscribed(topic, count),
    whenConnected: () => target.whenConnected(),
    close,
  });
}
