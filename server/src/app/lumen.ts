import 'reflect-metadata';

import { Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';

import { bootstrapAdminKey } from '../auth/admin-key.bootstrap.js';
import type { Principal } from '../auth/api-key.service.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/orm.js';
import { feedbackExportRouter } from '../feedback/feedback.export.route.js';
import { startHttpServer, type HttpServerOptions } from '../http/server.js';
import type { PeriodicJob } from '../jobs/periodic-job.js';
import { logBatchPrecheckPlugin, precheckLogBatch } from '../logs/log-batch.precheck.js';
import { logExportRouter } from '../logs/log.export.route.js';
import { DAYS_AHEAD, ensurePartitions, partitionJob } from '../logs/log.partitions.js';
import { retentionJob } from '../logs/log.retention.js';
import { applySearchIndexSetting } from '../logs/log.search-index.js';
import { otlpRouter } from '../otlp/otlp.route.js';
import { rateLimitAdmission, rateLimitPlugin } from '../ratelimit/rate-limit.plugin.js';
import { authenticateSocket, contextFor } from './context.js';
import { entities } from './entities.js';
import { buildLumenSchema } from './schema.js';
import { closeServices, createServices, type Services } from './services.js';

export interface RunningLumen {
  /** The base URL: the API is at `${url}/graphql`. */
  url: string;
  port: number;
  services: Services;
  /** The admin key generated on a first run, to show once; undefined otherwise. */
  generatedAdminKey?: string;
  adminKeyFile?: string;
  stop(): Promise<void>;
}

/** Starts everything: database (migrated), services, HTTP + websocket server. */
export async function startLumen(config: Config, log: Logger): Promise<RunningLumen> {
  const database = await openDatabase(config.database, entities, log);
  try {
    const services = createServices(config, database.orm, log);
    await applySearchIndexSetting(services.sql, config.dataProtection.searchIndex, log);
    // Today's and the next days' log partitions before the first log arrives; the partition job keeps them coming.
    await ensurePartitions(services.sql, new Date(), new Date(Date.now() + DAYS_AHEAD * 24 * 3600 * 1000));
    const admin = await bootstrapAdminKey(services.apiKeys, config.adminKey, config.database.dataDir, log);
    const schema = await buildLumenSchema(services.pubsub);
    const http = await startHttpServer({ config, log, schema, sql: services.sql, ...transportHooks(services, schema) });
    const jobs = backgroundJobs(services);
    for (const job of jobs) job.start({ runNow: true });
    log.info({ url: http.url, database: config.database.kind }, 'Lumen is listening');
    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      port: http.port,
      services,
      generatedAdminKey: admin.generatedKey,
      adminKeyFile: admin.keyFile,
      stop() {
        stopping ??= (async () => {
          await Promise.all(jobs.map((job) => job.stop()));
          await http.close();
          log.debug('HTTP and websocket server closed');
          await closeServices(services);
          await database.close();
          log.debug('database closed');
          log.info('Lumen stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** What the HTTP and websocket server calls into: keys, contexts, input checks, rate limits and the OTLP route. */
function transportHooks(
  services: Services,
  schema: GraphQLSchema,
): Pick<HttpServerOptions, 'authenticate' | 'context' | 'websocket' | 'routers' | 'plugins'> {
  const { ingestMaxBatch } = services.config.limits;
  const exportAccess = {
    authenticate: (authorization: string | undefined) => services.apiKeys.authenticateHeader(authorization),
    admit: async (keyId: string) => {
      const decision = await services.rateLimiter.take('read', keyId, 1);
      return decision.allowed ? null : decision.retryAfterSeconds;
    },
  };
  return {
    authenticate: (authorization) => services.apiKeys.authenticateHeader(authorization),
    context: (principal, requestId) => contextFor(services, principal, requestId),
    websocket: {
      authenticate: (authorization) => authenticateSocket(services, authorization),
      activeKeyIds: (keyIds) => services.apiKeys.activeKeyIds(keyIds),
      shareScope: sharedSubscriptionScope,
      admit: rateLimitAdmission(services.rateLimiter),
      context: (principal, requestId, operation, variables) => {
        const context = contextFor(services, principal, requestId);
        // ingestLogs items that GraphQL's coercion would refuse as a whole batch are refused one by one.
        if (operation) context.logProblems = precheckLogBatch(schema, operation, variables, ingestMaxBatch);
        return context;
      },
    },
    routers: [
      otlpRouter(services),
      logExportRouter({ sql: services.sql, ...exportAccess }),
      feedbackExportRouter({ sql: services.sql, ...exportAccess }),
    ],
    plugins: [logBatchPrecheckPlugin(ingestMaxBatch), rateLimitPlugin(services.rateLimiter)],
  };
}

// Subscriptions whose events depend on their arguments alone: liveMetrics pushes one feed's snapshot
// (per filter and window) to all of its subscribers.
const SHARED_SUBSCRIPTIONS = new Set(['liveMetrics']);

/**
 * The role, for a subscription made only of fields in SHARED_SUBSCRIPTIONS: subscribers with the same
 * document, variables and role get the same events, executed once for all of them. Keeping the role in
 * the scope means no subscriber is ever sent what was executed under another role's authorization.
 */
function sharedSubscriptionScope(operation: OperationDefinitionNode, principal: Principal): string | null {
  const fields = operation.selectionSet.selections;
  return fields.every((field) => field.kind === Kind.FIELD && SHARED_SUBSCRIPTIONS.has(field.name.value)) ? principal.role : null;
}

/** The jobs that run while the server runs; each is started after the server listens and stopped first. */
function backgroundJobs(services: Services): PeriodicJob[] {
  const jobs: PeriodicJob[] = [];
  const { retentionDays } = services.config.dataProtection;
  if (retentionDays > 0) jobs.push(retentionJob(services.sql, retentionDays, services.log.child({ feature: 'retention' })));
  jobs.push(partitionJob(services.sql, services.log.child({ feature: 'partitions' })));
  jobs.push(services.metricRollups.job(), services.liveMetrics.job());
  jobs.push(...services.alerts.jobs());
  return jobs;
}
