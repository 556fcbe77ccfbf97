import type { LogFilter } from '../../graphql/generated/operations';

/** The server's streamed export (GET /v1/export/logs) for the same filter as the page, with prompt and response. */
export function exportUrl(filter: LogFilter, format: 'csv' | 'ndjson'): string {
  const params = new URLSearchParams({ format, content: 'true' });
  for (const [key, value] of Object.entries(filter))
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  return `/v1/export/logs?${params.toString()}`;
}
