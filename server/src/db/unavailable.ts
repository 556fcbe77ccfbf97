/**
 * Whether an error means the database could not be reached or went away (it is restarting, the network
 * dropped, the pool timed out), as opposed to a bug or bad data. Such a request can be retried as it
 * was: ingestion is idempotent on eventId, so a retry after an unclear outcome stores nothing twice.
 */
const PROTOCOL_VIOLATION = '08P01';

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; originalError?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, not yet accepting). Not
    // 08P01 (protocol violation): a statement the server could not read (a NUL inside text inlined
    // into it) fails the same way every time, so retrying it would never end.
    if (code === PROTOCOL_VIOLATION) return false;
    if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENOENT'].includes(code)) return true;
    if (
      /Connection terminated|terminating connection|Knex: Timeout acquiring a connection|Client has encountered a connection error|connect ECONNREFUSED|the database system is (starting up|shutting down|in recovery)/i.test(
        message,
      )
    )
      return true;
    if (candidate.name === 'ConnectionException') return true;
    current = candidate.cause ?? candidate.originalError;
  }
  return false;
}
