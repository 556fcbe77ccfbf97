import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

import { Alerts } from '../alerts/alert.service.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import type { Config } from '../config.js';
import { CostService } from '../costs/cost.service.js';
import { connectRedis } from '../db/redis.js';
import { Sql } from '../db/sql.js';
import { linkStoredLogs } from '../feedback/feedback.link.js';
import { FeedbackService } from '../feedback/feedback.service.js';
import { createLumenPubSub, type LumenPubSub } from '../graphql/pubsub.js';
import { LogIngestService } from '../logs/log.ingest.js';
import { LogQueryService } from '../logs/log.query.js';
import { createRedactor } from '../logs/log.redaction.js';
import { LiveMetrics } from '../metrics/metrics.live.js';
import { MetricRollups } from '../metrics/metrics.rollups.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { OtlpWorkers } from '../otlp/otlp.workers.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from '../ratelimit/rate-limit.limiter.js';
import { SpanIngestService } from '../traces/span.ingest.js';
import { TraceQueryService } from '../traces/trace.query.js';

/**
 * The services of one running Lumen, created once at start-up and shared by resolvers and engines.
 * This is where the features meet: each is built here from what it needs, and every hook between
 * two features is wired here.
 */
export interface Services {
  config: Config;
  log: Logger;
  orm: MikroORM;
  sql: Sql;
  pubsub: LumenPubSub;
  /** Shared state between replicas when REDIS_URL is set. */
  redis: Redis | null;
  rateLimiter: RateLimiter;
  apiKeys: ApiKeyService;
  costs: CostService;
  logIngest: LogIngestService;
  logQuery: LogQueryService;
  /** Spans of traces (OTLP) and their summaries. */
  spanIngest: SpanIngestService;
  /** The threads that decode and prepare large OTLP requests; null when OTLP_WORKERS is 0 or COPY is not available. */
  otlpWorkers: OtlpWorkers | null;
  traceQuery: TraceQueryService;
  feedback: FeedbackService;
  /** Metric summaries, series and breakdowns: the one place metrics are computed. */
  metrics: MetricsService;
  metricRollups: MetricRollups;
  liveMetrics: LiveMetrics;
  /** Alert rules, records, the evaluation engine and the notification outbox. */
  alerts: Alerts;
}

export function createServices(config: Config, orm: MikroORM, log: Logger): Services {
  const sql = new Sql(orm, {
    prepare: config.database.kind === 'postgres' && config.database.prepareStatements !== false,
    copy: config.database.kind === 'postgres',
  });
  const costs = new CostService(orm, sql, log.child({ feature: 'costs' }));
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log, 'state') : null;
  const redact = createRedactor(config.dataProtection.redact, config.dataProtection.redactPatterns);
  const logIngest = new LogIngestService(sql, () => costs.pricer(), {
    limits: config.limits,
    redact,
    storeContent: config.dataProtection.storeContent,
  });
  const feedback = new FeedbackService(sql, redact, log.child({ feature: 'feedback' }));
  const metricsLog = log.child({ feature: 'metrics' });
  const metrics = new MetricsService(sql, { rawMaxRows: config.metrics.rawMaxRows });
  const metricRollups = new MetricRollups(sql, metricsLog, { intervalMs: config.metrics.rollupIntervalSeconds * 1000 });

  // The hooks between features, all here: each runs inside the transaction that writes the logs or
  // their new costs, so what it writes commits or rolls back with them.
  logIngest.onStored(linkStoredLogs);
  logIngest.onStored(metricRollups.captureStored);
  costs.onRepriced(metricRollups.captureRepriced);

  const spanIngest = new SpanIngestService(sql, {
    redact,
    storeContent: config.dataProtection.storeContent,
    contentMaxBytes: config.limits.logContentMaxBytes,
  });

  const pubsub = createLumenPubSub(config.redisUrl ? { url: config.redisUrl, log: log.child({ feature: 'pubsub' }) } : undefined);
  return {
    config,
    log,
    orm,
    sql,
    pubsub,
    redis,
    rateLimiter: redis ? new RedisRateLimiter(redis, config.rateLimits, log) : new MemoryRateLimiter(config.rateLimits),
    apiKeys: new ApiKeyService(orm, log.child({ feature: 'auth' })),
    costs,
    logIngest,
    logQuery: new LogQueryService(sql),
    spanIngest,
    otlpWorkers:
      config.limits.otlpWorkers > 0 && sql.copies
        ? new OtlpWorkers(
            config.limits.otlpWorkers,
            {
              redact: config.dataProtection.redact,
              redactPatterns: config.dataProtection.redactPatterns,
              storeContent: config.dataProtection.storeContent,
              contentMaxBytes: config.limits.logContentMaxBytes,
              maxSpans: config.limits.otlpMaxSpans,
              copyMinSpans: spanIngest.copyMinSpans,
            },
            log.child({ feature: 'otlp' }),
          )
        : null,
    traceQuery: new TraceQueryService(sql),
    feedback,
    metrics,
    metricRollups,
    liveMetrics: new LiveMetrics(metrics, metricsLog, config.metrics.liveIntervalSeconds * 1000),
    alerts: new Alerts(config, sql, orm, pubsub, metrics, feedback, log.child({ feature: 'alerts' })),
  };
}

/** Closes what the services hold open (not the database, which start-up opened and closes). */
export async function closeServices(services: Services): Promise<void> {
  await services.alerts.close();
  await services.otlpWorkers?.close();
  await services.pubsub.close();
  await services.redis?.quit().catch(() => services.redis?.disconnect());
}
