import { createPubSub, type PubSub } from '@graphql-yoga/subscription';

/**
 * Events pushed to subscriptions, by topic, with their payload types. Features add their topics here so
 * that publishers and subscribers agree on names and payloads.
 */
export interface LumenTopics {}

export type LumenPubSub = PubSub<{ [K in keyof LumenTopics]: [LumenTopics[K]] }>;

/** In-process pub/sub; with several replicas, a Redis event target carries events between them. */
export function createLumenPubSub(): LumenPubSub {
  return createPubSub();
}
