import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Runs one statement and returns its rows. On PostgreSQL it also has `copy`: streams `rows`, in COPY's
 * text format, into a `copy … from stdin` statement on the same connection (and so in the same
 * transaction). The embedded database has no `copy`.
 */
export type SqlQuery = (<T extends object = Record<string, unknown>>(text: string | Prepared, values?: unknown[]) => Promise<T[]>) & {
  copy?: (statement: string, rows: string) => Promise<void>;
};

/**
 * A statement run on every ingest batch: on PostgreSQL it is parsed and planned once per connection
 * and then only executed (planning a set-based insert of 20-odd array parameters costs about as much
 * as running it on a batch of a hundred). PostgreSQL replans it by itself when a table it reads
 * changes (a partition attached or dropped). The embedded PGlite runs it unnamed: its one session
 * outlives the driver's connection, so a reconnect would find the name already taken.
 */
export class Prepared {
  private static readonly names = new Set<string>();

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    if (Prepared.names.has(name)) throw new Error(`two prepared statements are named ${name}`);
    Prepared.names.add(name);
  }
}

// The ORM asks pg for timestamps as text; raw queries want Dates.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ));

interface PoolClient {
  query(config: { name?: string; text: string; values?: unknown[]; types: pg.TypeOverrides }): Promise<{ rows: object[] }>;
}

/**
 * Hand-written SQL on the ORM's own connection pool (so the embedded database's single connection is
 * shared, never doubled), with PostgreSQL's native $1 parameters: arrays bind as arrays, which
 * set-based statements (UNNEST) need and the query builder's `?` bindings would expand.
 */
export class Sql {
  /**
   * `prepare: false` runs Prepared statements unnamed (the embedded database, or a pooler that cannot
   * keep them); `copy: true` gives queries their `copy` (PostgreSQL's driver only).
   */
  constructor(
    private readonly orm: MikroORM,
    private readonly options: { prepare: boolean; copy?: boolean } = { prepare: true },
  ) {}

  query: SqlQuery = (text, values) => this.withQuery((query) => query(text, values));

  /** Whether queries have `copy` (PostgreSQL's driver). */
  get copies(): boolean {
    return this.options.copy === true;
  }

  /** Runs fn in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  async transaction<T>(fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    return this.withQuery(async (query) => {
      await query('begin');
      try {
        const result = await fn(query);
        await query('commit');
        return result;
      } catch (error) {
        await query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Runs fn on one connection (several statements without a transaction). */
  async withQuery<T>(fn: (query: SqlQuery) => Promise<T>): Promise<T> {
    const knexClient = this.orm.em.getConnection().getKnex().client;
    const connection = (await knexClient.acquireConnection()) as PoolClient;
    const query: SqlQuery = async <R extends object>(statement: string | Prepared, values?: unknown[]) =>
      (
        await connection.query(
          typeof statement === 'string'
            ? { text: statement, values, types }
            : this.options.prepare
              ? { name: statement.name, text: statement.text, values, types }
              : { text: statement.text, values, types },
        )
      ).rows as R[];
    if (this.options.copy) {
      const client = connection as unknown as pg.Client;
      // The rows are written and the stream ended directly: a stream pipeline would allocate an abort
      // controller and, once done, an AbortError with its stack for every COPY.
      query.copy = (statement, rows) =>
        new Promise<void>((resolve, reject) => {
          const stream = client.query(copyFrom(statement));
          stream.once('error', reject);
          stream.once('finish', resolve);
          stream.end(rows);
        });
    }
    try {
      return await fn(query);
    } finally {
      await knexClient.releaseConnection(connection);
    }
  }
}
