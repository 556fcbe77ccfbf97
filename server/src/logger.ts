import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/** Structured JSON logs; LOG_LEVEL sets the level. Secrets in headers are never logged. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'lumen' },
    redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'key'], censor: '[redacted]' },
  });
}
