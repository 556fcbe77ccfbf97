import { once } from 'node:events';
import type { Request, Response } from 'express';

export type ExportFormat = 'csv' | 'ndjson';

/** A page of rows after a keyset position (null: the first page); an empty page ends the export. */
export type ExportPage<Row> = (after: Row | null, size: number) => Promise<Row[]>;

const PAGE_SIZE = 1000;

/**
 * Streams rows as CSV or NDJSON, a page at a time, waiting for the client to take each chunk before
 * reading the next page: a million rows neither time out (the first bytes go out at once) nor sit in
 * the server's memory. Stops reading when the client goes away.
 */
export async function streamExport<Row extends Record<string, unknown>>(
  request: Request,
  response: Response,
  format: ExportFormat,
  columns: readonly string[],
  page: ExportPage<Row>,
  filename: string,
): Promise<void> {
  let closed = false;
  request.on('close', () => (closed = true));
  response.status(200);
  response.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${filename}.${format}"`);
  response.setHeader('cache-control', 'no-store');
  if (format === 'csv') response.write(`${columns.map(csvField).join(',')}\r\n`);
  let after: Row | null = null;
  while (!closed) {
    const rows = await page(after, PAGE_SIZE);
    if (rows.length === 0) break;
    const chunk = rows
      .map((row) =>
        format === 'csv'
          ? `${columns.map((column) => csvField(row[column])).join(',')}\r\n`
          : `${JSON.stringify(Object.fromEntries(columns.map((column) => [column, row[column] ?? null])))}\n`,
      )
      .join('');
    if (!response.write(chunk)) await Promise.race([once(response, 'drain'), once(request, 'close')]);
    after = rows[rows.length - 1]!;
    if (rows.length < PAGE_SIZE) break;
  }
  response.end();
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; objects as JSON. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading =, +, - or @ would run as a formula in spreadsheets; a quote-prefixed apostrophe keeps it text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function exportFormat(value: unknown): ExportFormat | null {
  return value === 'csv' || value === 'ndjson' ? value : null;
}
