import type { LogFilter, LogOrder } from '../../graphql/generated/operations';

/** The server's streamed export (GET /v1/export/logs) for the same filter and order as the page, with prompt and response. */
export function exportUrl(filter: LogFilter, format: 'csv' | 'ndjson', orderBy: LogOrder = 'TIME_DESC'): string {
  const params = new URLSearchParams({ format, content: 'true' });
  if (orderBy !== 'TIME_DESC') params.set('orderBy', orderBy);
  for (const [key, value] of Object.entries(filter))
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  return `/v1/export/logs?${params.toString()}`;
}
