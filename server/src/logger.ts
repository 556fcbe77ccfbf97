import pino, { type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';
import { serializeError } from './log-errors.js';

/** The options of every Lumen logger: JSON lines, secrets in headers and statement values never logged. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'lumen' },
    redact: { paths: ['authorization', '*.authorization', 'headers.authorization', 'key'], censor: '[redacted]' },
    serializers: { err: serializeError },
  };
}

/** Structured JSON logs; LOG_LEVEL sets the level. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino(loggerOptions(config));
}
