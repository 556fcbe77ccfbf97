import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.js';

describe(loadConfig.name, () => {
  it('uses the embedded database under ./.data when DATABASE_URL is not set', () => {
    const sut = loadConfig({});
    expect(sut.database.kind).toBe('embedded');
    expect(sut.database.dataDir).toMatch(/\.data$/);
    expect(sut.port).toBe(4000);
    expect(sut.limits.logContentMaxBytes).toBe(32 * 1024);
    expect(sut.alertEvalIntervalSeconds).toBe(60);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const sut = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/lumen', DATA_DIR: '/var/lib/lumen' });
    expect(sut.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/lumen',
      poolSize: 10,
      dataDir: '/var/lib/lumen',
      prepareStatements: true,
    });
  });

  it('turns prepared statements off behind a pooler that cannot keep them', () => {
    const sut = loadConfig({ DATABASE_URL: 'postgres://u:p@pgbouncer:6432/lumen', DATABASE_PREPARED_STATEMENTS: 'false' });
    expect(sut.database).toMatchObject({ kind: 'postgres', prepareStatements: false });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/lumen', DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(
      /DATABASE_PREPARED_STATEMENTS/,
    );
  });

  it('decodes large OTLP requests on a worker thread per core (at most 4) on PostgreSQL only, unless OTLP_WORKERS says', () => {
    const cores = availableParallelism();
    expect(loadConfig({}).limits.otlpWorkers).toBe(0);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/lumen' }).limits.otlpWorkers).toBe(Math.min(4, cores));
    expect(loadConfig({ DATABASE_URL: 'postgres://db/lumen', OTLP_WORKERS: '0' }).limits.otlpWorkers).toBe(0);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/lumen', OTLP_WORKERS: '8' }).limits.otlpWorkers).toBe(8);
    expect(() => loadConfig({ OTLP_WORKERS: '-1' })).toThrow(/OTLP_WORKERS/);
  });

  it('treats an empty variable as not set', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('embedded');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_CONTENT_MAX_BYTES: '-5', LUMEN_ADMIN_KEY: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_CONTENT_MAX_BYTES', 'LUMEN_ADMIN_KEY']) expect(message).toContain(name);
    expect(message).toContain('(got "eighty")');
    expect(message).not.toContain('short');
  });

  it('refuses a redis URL of another scheme', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://localhost:6379' })).toThrow(/REDIS_URL/);
  });
});

describe('data protection settings', () => {
  it('reads REDACT, REDACT_PATTERNS, STORE_CONTENT, LOG_SEARCH_INDEX and LOG_RETENTION_DAYS', () => {
    const sut = loadConfig({
      REDACT: 'email, phone',
      REDACT_PATTERNS: '["ORDER-\\\\d+"]',
      STORE_CONTENT: 'false',
      LOG_SEARCH_INDEX: 'false',
      LOG_RETENTION_DAYS: '30',
    }).dataProtection;
    expect(sut).toEqual({
      redact: ['email', 'phone'],
      redactPatterns: ['ORDER-\\d+'],
      storeContent: false,
      searchIndex: false,
      retentionDays: 30,
    });
    expect(loadConfig({ REDACT: 'all' }).dataProtection.redact).toEqual(['email', 'phone', 'credit_card', 'secret', 'bearer']);
    expect(loadConfig({}).dataProtection).toEqual({
      redact: [],
      redactPatterns: [],
      storeContent: true,
      searchIndex: true,
      retentionDays: 0,
    });
  });

  it('names a bad detector or pattern', () => {
    expect(() => loadConfig({ REDACT: 'email,ssn' })).toThrow(/REDACT: must be a comma-separated list/);
    expect(() => loadConfig({ REDACT_PATTERNS: '["(unclosed"]' })).toThrow(/REDACT_PATTERNS: must be a JSON array of regular expressions/);
  });

  it('configures email only when SMTP_HOST is set, and wants a sender with it', () => {
    expect(loadConfig({}).notifications.smtp).toBeNull();
    expect(loadConfig({ SMTP_HOST: 'mail.example.com', SMTP_FROM: 'lumen@example.com', SMTP_PORT: '465' }).notifications.smtp).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      allowInsecure: false,
      user: undefined,
      password: undefined,
      from: 'lumen@example.com',
    });
    expect(() => loadConfig({ SMTP_HOST: 'mail.example.com' })).toThrow(/SMTP_FROM/);
    expect(() => loadConfig({ SMTP_HOST: 'mail.example.com', SMTP_FROM: 'a@b.c', SMTP_USER: 'me' })).toThrow(/SMTP_PASSWORD/);
  });

  it('lets webhooks reach private addresses by default except in production', () => {
    expect(loadConfig({}).notifications.allowPrivateWebhooks).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).notifications.allowPrivateWebhooks).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: 'true' }).notifications.allowPrivateWebhooks).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'false' }).notifications.allowPrivateWebhooks).toBe(false);
  });
});
