import pg from 'pg';
import type { Logger } from 'pino';

/** Lets one replica at a time evaluate alert rules. */
export interface EvaluatorLock {
  /** True while this replica holds the lock (taking it if it is free). */
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** The embedded database serves one process (its data directory is locked), so that process always evaluates. */
export class SoleEvaluator implements EvaluatorLock {
  async acquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}

// Any constant shared by all replicas of one database: "lumen" read as a number, then 001 for the alert evaluator.
const LOCK_KEY = '465826571630001';

/**
 * A session-level PostgreSQL advisory lock held on a connection of its own, outside the pool: the
 * replica holding it evaluates at every tick until it stops or its connection drops, when PostgreSQL
 * frees the lock and another replica takes it at its next tick. The holder checks its connection at each
 * tick, so a replica whose session was cut stops evaluating rather than racing the new holder (and if
 * two ever overlap, the transitions' conditions and the one-open-record index still keep one record).
 */
export class AdvisoryEvaluatorLock implements EvaluatorLock {
  private client: pg.Client | null = null;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  async acquire(): Promise<boolean> {
    try {
      const client = await this.connection();
      if (this.held) {
        await client.query('select 1');
        return true;
      }
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [LOCK_KEY]);
      this.held = rows[0]!.locked;
      if (this.held) this.log.info('this replica now evaluates alert rules');
      return this.held;
    } catch (error) {
      if (this.held) this.log.warn({ err: error }, 'lost the alert evaluator lock; another replica may take it');
      else this.log.warn({ err: error }, 'could not try the alert evaluator lock');
      await this.drop();
      return false;
    }
  }

  async release(): Promise<void> {
    await this.drop();
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      query_timeout: 10_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'lumen-alert-evaluator',
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'alert evaluator lock connection failed');
      if (this.client === client) {
        this.client = null;
        this.held = false;
      }
    });
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = null;
      throw error;
    }
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    // Ending the session frees a session-level lock.
    await client?.end().catch(() => undefined);
  }
}
