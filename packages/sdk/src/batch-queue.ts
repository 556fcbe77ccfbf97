import type { Timers } from './timers.js';

export interface QueueLimits {
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  maxQueueSize: number;
}

/** What the queue holds: an item already serialised, with its size. */
export interface Batchable {
  bytes: number;
}

interface Queued<T> {
  item: T;
  seq: number;
}

/**
 * The bounded queue between `log()` (or the end of a span) and the network. One batch is in flight at a time, so batches
 * leave in order and a struggling server slows the queue down instead of multiplying requests.
 * A batch leaves when it is full (by count or bytes), when its oldest item has waited
 * `flushIntervalMs`, or when a flush asks for it. `sendBatch` never throws: it settles every item
 * of the batch (sent, refused or given up) before it resolves.
 */
export class BatchQueue<T extends Batchable> {
  private waiting: Queued<T>[] = [];
  private waitingBytes = 0;
  private inFlight = 0;
  private sending = false;
  private lastSeq = 0;
  private settledSeq = 0;
  /** Items up to this sequence number are due: their time is up, or a flush wants them. */
  private dueSeq = 0;
  private cancelTimer: (() => void) | undefined;
  private flushes: { seq: number; resolve: () => void }[] = [];
  private closed = false;

  constructor(
    private readonly limits: QueueLimits,
    private readonly timers: Timers,
    private readonly sendBatch: (items: T[]) => Promise<void>,
  ) {}

  /** Items waiting or being sent. */
  get size(): number {
    return this.waiting.length + this.inFlight;
  }

  /** False when the queue is full: the item was not taken. */
  enqueue(item: T): boolean {
    if (this.size >= this.limits.maxQueueSize) return false;
    this.waiting.push({ item, seq: ++this.lastSeq });
    this.waitingBytes += item.bytes;
    if (this.batchIsFull()) void this.drain();
    else this.armTimer();
    return true;
  }

  /** Resolves when every item enqueued before the call is settled. */
  flush(): Promise<void> {
    const seq = this.lastSeq;
    if (this.settledSeq >= seq) return Promise.resolve();
    this.dueSeq = Math.max(this.dueSeq, seq);
    const done = new Promise<void>((resolve) => this.flushes.push({ seq, resolve }));
    void this.drain();
    return done;
  }

  /**
   * Takes every item still waiting out of the queue (shutdown()'s deadline passed) and returns them;
   * flushes waiting on them resolve once the batch in flight, if any, is settled.
   */
  discard(): T[] {
    const discarded = this.waiting.splice(0).map((queued) => queued.item);
    this.waitingBytes = 0;
    if (!this.sending) {
      this.settledSeq = this.lastSeq;
      this.resolveFlushes();
    }
    return discarded;
  }

  /** Stops the timer for good; what is queued leaves only through flush(). */
  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private batchIsFull(): boolean {
    return this.waiting.length >= this.limits.batchSize || this.waitingBytes >= this.limits.maxBatchBytes;
  }

  private armTimer(): void {
    if (this.closed || this.sending || this.cancelTimer || this.waiting.length === 0) return;
    this.cancelTimer = this.timers.after(this.limits.flushIntervalMs, () => {
      this.cancelTimer = undefined;
      this.dueSeq = Math.max(this.dueSeq, this.lastSeq);
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    try {
      while (this.waiting.length > 0 && (this.batchIsFull() || this.waiting[0]!.seq <= this.dueSeq)) {
        const batch = this.takeBatch();
        this.inFlight = batch.length;
        try {
          // sendBatch reports its own failures; nothing may escape into the caller's process.
          await this.sendBatch(batch.map((queued) => queued.item)).catch(() => undefined);
        } finally {
          this.inFlight = 0;
          // With nothing left waiting, every item enqueued so far is settled (sent or discarded).
          this.settledSeq = this.waiting.length > 0 ? batch[batch.length - 1]!.seq : this.lastSeq;
          this.resolveFlushes();
        }
      }
    } finally {
      this.sending = false;
      this.armTimer();
    }
  }

  private takeBatch(): Queued<T>[] {
    let count = 0;
    let bytes = 0;
    while (count < this.waiting.length && count < this.limits.batchSize) {
      const next = this.waiting[count]!.item.bytes;
      if (count > 0 && bytes + next > this.limits.maxBatchBytes) break;
      bytes += next;
      count++;
    }
    this.waitingBytes -= bytes;
    return this.waiting.splice(0, count);
  }

  private resolveFlushes(): void {
    const pending = this.flushes.filter((flush) => flush.seq > this.settledSeq);
    const done = this.flushes.filter((flush) => flush.seq <= this.settledSeq);
    this.flushes = pending;
    for (const flush of done) flush.resolve();
  }
}
