import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';

/** Runs one statement and returns its rows. */
export type SqlQuery = <T extends object = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

// The ORM asks pg for timestamps as text; raw queries want Dates.
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ));

interface PoolClient {
  query(config: { text: string; values?: unknown[]; types: pg.TypeOverrides }): Promise<{ rows: object[] }>;
}

/**
 * Hand-written SQL on the ORM's own connection pool (so the embedded database's single connection is
 * shared, never doubled), with PostgreSQL's native $1 parameters: arrays bind as arrays, which
 * set-based statements (UNNEST) need and the query builder's `?` bindings would expand.
 */
export class Sql {
  constructor(private readonly orm: MikroORM) {}

  query: SqlQuery = (text, values) => this.withQuery((query) => query(text, values));

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
    const query: SqlQuery = async <R extends object>(text: string, values?: unknown[]) =>
      (await connection.query({ text, values, types })).rows as R[];
    try {
      return await fn(query);
    } finally {
      await knexClient.releaseConnection(connection);
    }
  }
}
