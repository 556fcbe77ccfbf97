import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

import { TopicEventTarget } from './topic-event-target.js';

const CHANNEL_PREFIX = 'lumen:pubsub:';

/**
 * Carries subscription events between replicas through Redis pub/sub. An event is delivered to this
 * replica's subscribers at once and published to Redis tagged with this replica's id; a message from
 * Redis is delivered only when another replica sent it. So a replica keeps serving its own subscribers
 * while Redis is down (events of other replicas are missed meanwhile, and a warning says so), and the
 * subscribing connection subscribes again by itself once Redis is back.
 * (@graphql-yoga/redis-event-target routes even local events through Redis and leaves publish errors
 * unhandled, hence this one.)
 */
export class RedisEventTarget extends TopicEventTarget {
  readonly origin = randomUUID();
  private publishFailing = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: Logger,
  ) {
    super();
    subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
  }

  /**
   * Resolves once both connections are up and the subscriber's subscriptions are in place again (after a
   * reconnect ioredis re-subscribes on 'ready'; a PING queued behind those SUBSCRIBEs answers after them).
   */
  override async whenConnected(): Promise<void> {
    for (const connection of [this.publisher, this.subscriber]) if (connection.status !== 'ready') await once(connection, 'ready');
    await this.subscriber.ping();
  }

  protected override async firstSubscriber(type: string): Promise<void> {
    await this.subscriber.subscribe(CHANNEL_PREFIX + type).catch((error: unknown) => {
      this.log.warn({ err: error, topic: type }, 'Redis subscribe failed: events of other replicas are missed until Redis is back');
    });
  }

  protected override lastSubscriberGone(type: string): void {
    this.subscriber.unsubscribe(CHANNEL_PREFIX + type).catch(() => undefined);
  }

  protected override dispatched(type: string, detail: unknown): void {
    this.publisher.publish(CHANNEL_PREFIX + type, JSON.stringify({ origin: this.origin, detail })).then(
      () => {
        if (this.publishFailing) this.log.info('Redis publish works again: events reach the other replicas');
        this.publishFailing = false;
      },
      (error: unknown) => {
        if (!this.publishFailing)
          this.log.warn({ err: error, topic: type }, 'Redis publish failed: other replicas miss events until Redis is back');
        this.publishFailing = true;
      },
    );
  }

  private receive(channel: string, message: string): void {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    let parsed: { origin?: unknown; detail?: unknown };
    try {
      parsed = JSON.parse(message) as { origin?: unknown; detail?: unknown };
    } catch {
      this.log.warn({ channel }, 'ignored a malformed pub/sub message');
      return;
    }
    if (parsed.origin !== this.origin) this.deliver(channel.slice(CHANNEL_PREFIX.length), parsed.detail ?? null);
  }
}
