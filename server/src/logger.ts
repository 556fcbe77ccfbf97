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

/** Sends console output through the log, one JSON line per call; an Error argument becomes `err`. */
export function routeConsoleTo(log: Logger): void {
  const route =
    (level: 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const message = args
        .filter((arg) => arg !== error)
        .map((arg) => (typeof arg === 'string' ? arg : safeInspect(arg)))
        .join(' ');
      log[level]({ ...(error ? { err: error } : {}), source: 'console' }, message.slice(0, 2_000));
    };
  console.log = route('info');
  console.info = route('info');
  console.warn = route('warn');
  console.error = route('error');
  console.debug = route('info');
}

function safeInspect(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
