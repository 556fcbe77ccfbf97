import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

import type { DatabaseConfig } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { migrationsList } from './migrations/index.js';

export interface Database {
  orm: MikroORM;
  /** True when running on the embedded PGlite: one connection, so no transaction may wait on another. */
  embedded: boolean;
  close(): Promise<void>;
}

/** Every entity class, listed explicitly by the composition root (app/entities.ts). */
export type Entities = NonNullable<Options['entities']>;

export function ormOptions(
  connection: Pick<Options, 'clientUrl' | 'host' | 'port' | 'user' | 'dbName'>,
  poolSize: number,
  entities: Entities,
): Options {
  return {
    ...connection,
    entities,
    extensions: [Migrator],
    pool: { min: 0, max: poolSize },
    // Schema comes from the checked-in migrations only.
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, emit: 'ts', silent: true },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  };
}

/** Opens the configured database (starting the embedded one when no URL is set) and applies migrations. */
export async function openDatabase(config: DatabaseConfig, entities: Entities, log: Logger): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let options: Options;
  if (config.kind === 'postgres') {
    options = ormOptions({ clientUrl: config.url }, config.poolSize, entities);
  } else {
    embedded = await startEmbeddedPostgres(config.dataDir, config.from);
    options = ormOptions(embedded.connection, 1, entities);
    log.info({ dataDir: config.dataDir ?? 'memory' }, 'embedded PostgreSQL (PGlite) started');
  }
  let orm: MikroORM;
  try {
    orm = await migratedOrm(options, log);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    orm,
    embedded: embedded !== undefined,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}

/** Connects the ORM and applies every pending migration; closes it again when they fail. */
export async function migratedOrm(options: Options, log: Logger): Promise<MikroORM> {
  const orm = await MikroORM.init(options);
  try {
    const applied = await orm.getMigrator().up();
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'database migrations applied');
    return orm;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
