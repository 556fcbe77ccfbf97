import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ApiKeyService } from './auth/api-key.service.js';
import type { Config } from './config.js';
import { CostService } from './costs/cost.service.js';
import { Sql } from './db/sql.js';
import { createLumenPubSub, type LumenPubSub } from './graphql/pubsub.js';
import { LogIngestService } from './logs/log.ingest.js';
import { LogQueryService } from './logs/log.query.js';

/** The services of one running Lumen, created once at start-up and shared by resolvers and engines. */
export interface Services {
  config: Config;
  log: Logger;
  orm: MikroORM;
  sql: Sql;
  pubsub: LumenPubSub;
  apiKeys: ApiKeyService;
  costs: CostService;
  logIngest: LogIngestService;
  logQuery: LogQueryService;
}

export function createServices(config: Config, orm: MikroORM, log: Logger): Services {
  const sql = new Sql(orm);
  const costs = new CostService(orm, sql, log.child({ feature: 'costs' }));
  return {
    config,
    log,
    orm,
    sql,
    pubsub: createLumenPubSub(),
    apiKeys: new ApiKeyService(orm, log.child({ feature: 'auth' })),
    costs,
    logIngest: new LogIngestService(sql, costs, config.limits, log.child({ feature: 'logs' })),
    logQuery: new LogQueryService(sql),
  };
}
