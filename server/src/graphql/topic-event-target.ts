type Listener = ((event: CustomEvent) => void) | { handleEvent(event: CustomEvent): void };
type NativeListener = Parameters<EventTarget['addEventListener']>[1];

/**
 * The event target behind the subscriptions' pub/sub, in process. It counts subscribers per topic
 * (whenSubscribed lets a caller wait until one is really listening) and hands listeners a JSON copy of
 * each payload, the same shape they get when an event comes from another replica through Redis.
 * Subclasses hear when a topic gains its first subscriber or loses its last, and of every dispatch.
 */
export class TopicEventTarget {
  private readonly local = new EventTarget();
  private readonly counts = new Map<string, number>();
  private readonly ready = new Map<string, Promise<void>>();
  private readonly waiters = new Set<() => void>();

  addEventListener(type: string, listener: Listener | null): void {
    if (!listener) return;
    this.local.addEventListener(type, listener as NativeListener);
    const count = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, count);
    if (count === 1) this.ready.set(type, this.firstSubscriber(type));
    for (const wake of this.waiters) wake();
  }

  removeEventListener(type: string, listener: Listener | null): void {
    if (!listener) return;
    this.local.removeEventListener(type, listener as NativeListener);
    const count = (this.counts.get(type) ?? 0) - 1;
    if (count > 0) {
      this.counts.set(type, count);
      return;
    }
    this.counts.delete(type);
    this.ready.delete(type);
    this.lastSubscriberGone(type);
  }

  dispatchEvent(event: CustomEvent): boolean {
    const detail: unknown = event.detail === undefined ? null : JSON.parse(JSON.stringify(event.detail));
    this.deliver(event.type, detail);
    this.dispatched(event.type, detail);
    return true;
  }

  subscriberCount(type: string): number {
    return this.counts.get(type) ?? 0;
  }

  /** Resolves once `type` has at least `count` subscribers and events of other replicas reach them. */
  async whenSubscribed(type: string, count = 1): Promise<void> {
    while (this.subscriberCount(type) < count) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
    await this.ready.get(type);
    await this.whenConnected();
  }

  /** Resolves once events can travel to and from other replicas (at once in process). */
  async whenConnected(): Promise<void> {}

  protected deliver(type: string, detail: unknown): void {
    this.local.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** A topic got its first subscriber; resolves when events from elsewhere can reach it. */
  protected async firstSubscriber(_type: string): Promise<void> {}

  protected lastSubscriberGone(_type: string): void {}

  protected dispatched(_type: string, _detail: unknown): void {}
}
