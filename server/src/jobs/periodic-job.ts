import type { Logger } from 'pino';

/**
 * A background task run every interval: started and stopped with the server, one run at a time, and a
 * failing run is logged and retried at the next interval rather than taking the process down.
 */
export class PeriodicJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly run: (signal: { stopped(): boolean }) => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(options: { runNow?: boolean } = {}): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.log.info({ job: this.name, intervalMs: this.intervalMs }, 'job started');
    if (options.runNow) this.tick();
    else this.schedule();
  }

  /** Runs once now (unless a run is under way) and resolves when that run ends. */
  async runOnce(): Promise<void> {
    if (!this.running) this.running = this.execute();
    await this.running;
  }

  /** Stops scheduling and waits for a run under way to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.log.info({ job: this.name }, 'job stopped');
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private tick(): void {
    void this.runOnce().finally(() => this.schedule());
  }

  private async execute(): Promise<void> {
    const started = Date.now();
    try {
      await this.run({ stopped: () => this.stopped });
      this.log.debug({ job: this.name, ms: Date.now() - started }, 'job run finished');
    } catch (error) {
      this.log.error({ err: error, job: this.name }, 'job run failed; retrying at the next interval');
    } finally {
      this.running = undefined;
    }
  }
}
