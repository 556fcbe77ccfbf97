/**
 * At most `limit` ingest transactions at once. A flood of ingestion from one key would otherwise take
 * every connection of the pool, and the reads of every other key (dashboards, alerts) would queue
 * behind it; with the gate, ingestion waits for ingestion and the rest of the pool stays free.
 */
export class IngestGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so no newcomer can slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
