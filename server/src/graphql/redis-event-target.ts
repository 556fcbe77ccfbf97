import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

type Listener = ((event: CustomEvent) => void) | { handleEvent(event: CustomEvent): void };

const CHANNEL_PREFIX = 'lumen:pubsub:';

/**
 * An event target for the subscriptions' pub/sub that also carries events between replicas through
 * Redis. An event is delivered to this replica's listeners at once and published to Redis tagged with
 * this replica's id; messages from Redis are delivered only when another replica sent them. So a replica
 * keeps serving its own subscribers while Redis is down (events of other replicas are missed meanwhile,
 * and a warning is logged), and the subscriber connection re-subscribes by itself when Redis is back.
 * (@graphql-yoga/redis-event-target routes even local events through Redis and leaves publish errors
 * unhandled, hence this one.)
 */
export class RedisEventTarget {
  readonly origin = randomUUID();
  private readonly local = new EventTarget();
  private readonly counts = new Map<string, number>();
  private publishFailing = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
  }

  addEventListener(type: string, listener: Listener | null): void {
    if (!listener) return;
    this.local.addEventListener(type, listener as Parameters<EventTarget['addEventListener']>[1]);
    const count = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, count);
    if (count === 1) this.subscriber.subscribe(CHANNEL_PREFIX + type).catch((error: unknown) => this.log.warn({ err: error, topic: type }, 'Redis subscribe failed; retried when Redis reconnects'));
  }

  removeEventListener(type: string, listener: Listener | null): void {
    if (!listener) return;
    this.local.removeEventListener(type, listener as Parameters<EventTarget['addEventListener']>[1]);
    const count = (this.counts.get(type) ?? 0) - 1;
    if (count > 0) {
      this.counts.set(type, count);
      return;
    }
    this.counts.delete(type);
    this.subscriber.unsubscribe(CHANNEL_PREFIX + type).catch(() => undefined);
  }

  dispatchEvent(event: CustomEvent): boolean {
    const detail: unknown = event.detail === undefined ? null : JSON.parse(JSON.stringify(event.detail));
    this.deliver(event.type, detail);
    const message = JSON.stringify({ origin: this.origin, detail });
    this.publisher.publish(CHANNEL_PREFIX + event.type, message).then(
      () => {
        if (this.publishFailing) this.log.info('Redis publish works again: events reach the other replicas');
        this.publishFailing = false;
      },
      (error: unknown) => {
        if (!this.publishFailing) this.log.warn({ err: error, topic: event.type }, 'Redis publish failed: other replicas miss events until Redis is back');
        this.publishFailing = true;
      },
    );
    return true;
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
    if (parsed.origin === this.origin) return;
    this.deliver(channel.slice(CHANNEL_PREFIX.length), parsed.detail ?? null);
  }

  private deliver(type: string, detail: unknown): void {
    this.local.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
