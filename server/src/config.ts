/**
 * Every environment variable Lumen reads, parsed and validated once at start-up.
 * A bad value stops the process with a message naming the variable.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** What REDACT may name: the detectors of logs/log.redaction.ts. */
export const REDACT_DETECTORS = ['email', 'phone', 'credit_card', 'secret', 'bearer'] as const;
export type Detector = (typeof REDACT_DETECTORS)[number];

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

const redisUrl = z
  .string()
  .url()
  .refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// or rediss:// URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(4000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: integer(1, 200).default(10),
  DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
  DATA_DIR: z.string().min(1).default('./.data'),
  REDIS_URL: redisUrl.optional(),
  LUMEN_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_CONTENT_MAX_BYTES: integer(256, 16 * 1024 * 1024).default(32 * 1024),
  LOG_METADATA_MAX_BYTES: integer(256, 1024 * 1024).default(16 * 1024),
  INGEST_MAX_BATCH: integer(1, 10_000).default(1000),
  OTLP_MAX_SPANS_PER_REQUEST: integer(1, 100_000).default(5000),
  OTLP_WORKERS: integer(0, 64).optional(),
  INGEST_CONCURRENCY: integer(1, 1000).optional(),
  MAX_BODY_BYTES: integer(1024, 512 * 1024 * 1024).default(32 * 1024 * 1024),
  ALERT_EVAL_INTERVAL_SECONDS: integer(1, 86_400).default(60),
  LIVE_METRICS_INTERVAL_SECONDS: integer(1, 300).default(5),
  METRICS_ROLLUP_INTERVAL_SECONDS: integer(1, 3_600).default(2),
  METRICS_RAW_MAX_ROWS: integer(0, 100_000_000).default(20_000),
  ALERT_DELIVERY_MAX_ATTEMPTS: integer(1, 100).default(8),
  ALERT_DELIVERY_BACKOFF_SECONDS: integer(1, 3_600).default(10),
  ALERT_DELIVERY_BACKOFF_MAX_SECONDS: integer(1, 86_400).default(600),
  WEBHOOK_TIMEOUT_SECONDS: integer(1, 300).default(10),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: integer(1, 65535).default(587),
  SMTP_SECURE: z.enum(['true', 'false']).optional(),
  SMTP_ALLOW_INSECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
  SHUTDOWN_GRACE_SECONDS: integer(0, 600).default(10),
  HTTP_HEADERS_TIMEOUT_SECONDS: integer(1, 600).default(20),
  HTTP_BODY_IDLE_TIMEOUT_SECONDS: integer(1, 600).default(20),
  HTTP_REQUEST_TIMEOUT_SECONDS: integer(1, 3_600).default(120),
  GRAPHQL_INTROSPECTION: z.enum(['true', 'false']).optional(),
  GRAPHQL_MAX_DEPTH: integer(2, 100).default(10),
  GRAPHQL_MAX_COST: integer(10, 10_000_000).default(20_000),
  GRAPHQL_MAX_ALIASES: integer(0, 1000).default(15),
  GRAPHQL_MAX_TOKENS: integer(100, 1_000_000).default(10_000),
  GRAPHQL_MAX_DOCUMENT_BYTES: integer(1024, 16 * 1024 * 1024).default(64 * 1024),
  GRAPHQL_MAX_DIRECTIVES: integer(0, 1000).default(50),
  REDACT: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((items) => items.every((item) => item === 'all' || item === 'none' || (REDACT_DETECTORS as readonly string[]).includes(item)), {
      message: `must be a comma-separated list of ${REDACT_DETECTORS.join(', ')}, or all, or none`,
    })
    .default(['none']),
  REDACT_PATTERNS: z
    .string()
    .transform((value, ctx) => {
      try {
        const parsed: unknown = JSON.parse(value);
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error('not an array of strings');
        for (const source of parsed) new RegExp(source as string, 'g');
        return parsed as string[];
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `must be a JSON array of regular expressions (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .default([]),
  STORE_CONTENT: z.enum(['true', 'false']).default('true'),
  LOG_SEARCH_INDEX: z.enum(['true', 'false']).default('true'),
  LOG_RETENTION_DAYS: integer(0, 36_500).default(0),
  // Ingestion is weighed by logs and spans, not requests.
  RATE_LIMIT_INGEST_PER_SECOND: integer(0, 1_000_000).default(1000),
  RATE_LIMIT_INGEST_BURST: integer(1, 10_000_000).default(5000),
  RATE_LIMIT_READ_PER_SECOND: integer(0, 1_000_000).default(50),
  RATE_LIMIT_READ_BURST: integer(1, 10_000_000).default(100),
  WS_INIT_TIMEOUT_MS: integer(100, 600_000).default(10_000),
  WS_MAX_MESSAGE_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  WS_MAX_SUBSCRIPTIONS: integer(1, 10_000).default(50),
  WS_MAX_BUFFERED_BYTES: integer(64 * 1024, 1024 * 1024 * 1024).default(8 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  publicUrl?: string;
  database: DatabaseConfig;
  redisUrl?: string;
  adminKey?: string;
  logLevel: Env['LOG_LEVEL'];
  limits: Limits;
  alertEvalIntervalSeconds: number;
  metrics: MetricsConfig;
  notifications: NotificationConfig;
  webDistDir?: string;
  shutdownGraceSeconds: number;
  http: HttpTimeouts;
  graphql: GraphqlLimits;
  websocket: WebsocketLimits;
  dataProtection: DataProtection;
  /** Per API key: `ingest` counts logs, spans and feedback (ingestLogs, OTLP, submitFeedback), `read` counts requests. */
  rateLimits: Record<'ingest' | 'read', { perSecond: number; burst: number }>;
}

export interface DataProtection {
  /** Detectors run on prompt, response, error message and metadata before storage. */
  redact: Detector[];
  /** Extra regular expressions whose matches are redacted too. */
  redactPatterns: string[];
  /** false: prompt and response are never stored. */
  storeContent: boolean;
  /** false: no trigram index on prompt and response; search still works, by scanning the range. */
  searchIndex: boolean;
  /** Logs older than this many days are deleted; 0 keeps them. */
  retentionDays: number;
}

/** How long a client may take to send a request; none of them limits how long the answer takes. */
export interface HttpTimeouts {
  /** From connecting to the end of the headers. */
  headersTimeoutMs: number;
  /** Longest pause while the body arrives. */
  bodyIdleTimeoutMs: number;
  /** From connecting to the end of the body, however steadily it trickles. */
  requestTimeoutMs: number;
}

export interface GraphqlLimits {
  introspection: boolean;
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  /** The largest GraphQL document (the query text, not its variables), checked before it is parsed. */
  maxDocumentBytes: number;
  maxDirectives: number;
}

export interface WebsocketLimits {
  /** A socket that has not authenticated within this time is closed (4408). */
  initTimeoutMs: number;
  maxMessageBytes: number;
  maxSubscriptions: number;
  /** A subscriber whose unsent messages pass this size is disconnected rather than buffered further. */
  maxBufferedBytes: number;
}

export interface NotificationConfig {
  /** Attempts per delivery (webhook call or email) before it is marked FAILED. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one, up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  webhookTimeoutMs: number;
  /** false: webhooks to loopback, private, link-local and other non-public addresses are refused. */
  allowPrivateWebhooks: boolean;
  /** null: email is not configured, and email deliveries are skipped with that reason. */
  smtp: SmtpConfig | null;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** true: TLS from the start (port 465); false: STARTTLS, which the server must offer unless allowInsecure. */
  secure: boolean;
  /** true: send (and log in) in cleartext when the server offers no STARTTLS. Only for a relay on a trusted network. */
  allowInsecure: boolean;
  user?: string;
  password?: string;
  from: string;
}

/** Either an external PostgreSQL or the embedded PGlite; `dataDir: null` keeps PGlite in memory. */
export type DatabaseConfig =
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      dataDir: string | null;
      /** Parse the statements of every ingest batch once per connection (false behind a pooler that cannot keep them). */
      prepareStatements?: boolean;
    }
  | {
      kind: 'embedded';
      dataDir: string | null;
      /** For an in-memory database (dataDir null): a data directory saved by EmbeddedPostgres.save to start from, rather than an empty one. */
      from?: string;
    };

export interface Limits {
  logContentMaxBytes: number;
  logMetadataMaxBytes: number;
  ingestMaxBatch: number;
  /** Ingest transactions at once (half the pool by default), so reads keep connections while ingestion floods. */
  ingestConcurrency: number;
  /** Spans in one POST /v1/traces; more is refused whole with 413. */
  otlpMaxSpans: number;
  /** Worker threads that decode and prepare large OTLP requests (0: all on the main thread). */
  otlpWorkers: number;
  maxBodyBytes: number;
}

export interface MetricsConfig {
  /** How often liveMetrics feeds are recomputed (and pushed when they changed). */
  liveIntervalSeconds: number;
  /** How often pending contributions are folded into the rollups. */
  rollupIntervalSeconds: number;
  /** Ranges estimated to hold at most this many logs are read raw, with exact percentiles. */
  rawMaxRows: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO= in a .env file or compose) means "not set", not "set to empty".
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = present[name];
        const shown = value === undefined || /KEY|URL|PASSWORD|SECRET/.test(name) ? '' : ` (got "${value}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const env = parsed.data;
  const smtpProblems = [
    ...(env.SMTP_HOST && !env.SMTP_FROM ? ['SMTP_FROM: is required when SMTP_HOST is set (the sender address of alert emails)'] : []),
    ...(Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASSWORD) ? ['SMTP_USER and SMTP_PASSWORD: set both or neither'] : []),
  ];
  if (smtpProblems.length > 0) throw new ConfigError(smtpProblems);
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL,
    database: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          dataDir,
          prepareStatements: env.DATABASE_PREPARED_STATEMENTS === 'true',
        }
      : { kind: 'embedded', dataDir },
    redisUrl: env.REDIS_URL,
    adminKey: env.LUMEN_ADMIN_KEY,
    logLevel: env.LOG_LEVEL,
    limits: {
      logContentMaxBytes: env.LOG_CONTENT_MAX_BYTES,
      logMetadataMaxBytes: env.LOG_METADATA_MAX_BYTES,
      ingestMaxBatch: env.INGEST_MAX_BATCH,
      otlpMaxSpans: env.OTLP_MAX_SPANS_PER_REQUEST,
      // On the embedded database every statement runs on the main thread anyway.
      otlpWorkers: env.OTLP_WORKERS ?? (env.DATABASE_URL ? Math.min(4, availableParallelism()) : 0),
      ingestConcurrency: env.INGEST_CONCURRENCY ?? (env.DATABASE_URL ? Math.max(1, Math.floor(env.DATABASE_POOL_SIZE / 2)) : 1),
      maxBodyBytes: env.MAX_BODY_BYTES,
    },
    alertEvalIntervalSeconds: env.ALERT_EVAL_INTERVAL_SECONDS,
    metrics: {
      liveIntervalSeconds: env.LIVE_METRICS_INTERVAL_SECONDS,
      rollupIntervalSeconds: env.METRICS_ROLLUP_INTERVAL_SECONDS,
      rawMaxRows: env.METRICS_RAW_MAX_ROWS,
    },
    notifications: {
      maxAttempts: env.ALERT_DELIVERY_MAX_ATTEMPTS,
      backoffBaseMs: env.ALERT_DELIVERY_BACKOFF_SECONDS * 1000,
      backoffMaxMs: Math.max(env.ALERT_DELIVERY_BACKOFF_MAX_SECONDS, env.ALERT_DELIVERY_BACKOFF_SECONDS) * 1000,
      webhookTimeoutMs: env.WEBHOOK_TIMEOUT_SECONDS * 1000,
      allowPrivateWebhooks: env.WEBHOOK_ALLOW_PRIVATE ? env.WEBHOOK_ALLOW_PRIVATE === 'true' : env.NODE_ENV !== 'production',
      smtp: env.SMTP_HOST
        ? {
            host: env.SMTP_HOST,
            port: env.SMTP_PORT,
            secure: env.SMTP_SECURE ? env.SMTP_SECURE === 'true' : env.SMTP_PORT === 465,
            allowInsecure: env.SMTP_ALLOW_INSECURE === 'true',
            user: env.SMTP_USER,
            password: env.SMTP_PASSWORD,
            from: env.SMTP_FROM!,
          }
        : null,
    },
    webDistDir: env.WEB_DIST_DIR,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    http: {
      headersTimeoutMs: Math.min(env.HTTP_HEADERS_TIMEOUT_SECONDS, env.HTTP_REQUEST_TIMEOUT_SECONDS) * 1000,
      bodyIdleTimeoutMs: env.HTTP_BODY_IDLE_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    },
    graphql: {
      introspection: env.GRAPHQL_INTROSPECTION ? env.GRAPHQL_INTROSPECTION === 'true' : env.NODE_ENV !== 'production',
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxCost: env.GRAPHQL_MAX_COST,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDocumentBytes: env.GRAPHQL_MAX_DOCUMENT_BYTES,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
    },
    dataProtection: {
      redact: env.REDACT.includes('all') ? [...REDACT_DETECTORS] : (env.REDACT.filter((item) => item !== 'none') as Detector[]),
      redactPatterns: env.REDACT_PATTERNS,
      storeContent: env.STORE_CONTENT === 'true',
      searchIndex: env.LOG_SEARCH_INDEX === 'true',
      retentionDays: env.LOG_RETENTION_DAYS,
    },
    rateLimits: {
      ingest: { perSecond: env.RATE_LIMIT_INGEST_PER_SECOND, burst: Math.max(env.RATE_LIMIT_INGEST_BURST, 1) },
      read: { perSecond: env.RATE_LIMIT_READ_PER_SECOND, burst: Math.max(env.RATE_LIMIT_READ_BURST, 1) },
    },
    websocket: {
      initTimeoutMs: env.WS_INIT_TIMEOUT_MS,
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      maxSubscriptions: env.WS_MAX_SUBSCRIPTIONS,
      maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
    },
  };
}
