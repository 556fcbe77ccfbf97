import { once } from 'node:events';
import express, { type Request, type Response, type Router } from 'express';

import { ApiKeyRole } from '../auth/api-key.entity.js';
import { principalOf, requireApiKey, type Authenticate } from './api-key-guard.js';

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

/** What an export route needs of the server: the key check and the read budget. */
export interface ExportServices {
  authenticate: Authenticate;
  /** A refusal when the key has used up its read budget (the rate limit), or null. */
  admit(keyId: string): Promise<number | null>;
}

/** A bad export parameter: answered 400 with its message before any row is read. */
export class ExportInputError extends Error {}

type Query = Request['query'];

/** The non-empty string parameters named by `keys`. */
export function stringParams<K extends string>(query: Query, keys: readonly K[]): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = query[key];
    if (typeof value === 'string' && value !== '') found[key] = value;
  }
  return found;
}

/** `from` and `to` as dates, when given; anything else than an ISO 8601 date-time is refused. */
export function timeParams(query: Query): { from?: Date; to?: Date } {
  const bounds: { from?: Date; to?: Date } = {};
  for (const key of ['from', 'to'] as const) {
    const value = query[key];
    if (value === undefined) continue;
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw new ExportInputError(`${key} must be an ISO 8601 date-time`);
    bounds[key] = date;
  }
  return bounds;
}

/** One export: how its parameters read, which columns it writes, and its pages in keyset order. */
export interface ExportSpec<Filter, Row extends Record<string, unknown>> {
  path: string;
  filename: string;
  /** Reads and checks the parameters; throws ExportInputError (or a BAD_USER_INPUT error) for a bad one. */
  filter(query: Query): Filter;
  columns(query: Query): readonly string[];
  page(filter: Filter, query: Query, after: Row | null, size: number): Promise<Row[]>;
}

/**
 * GET <path>?format=csv|ndjson&…: an export streamed by streamExport, for READ or ADMIN keys (as for
 * reading), drawing one request on the key's read budget. Parameters are checked before the first byte.
 */
export function exportRouter<Filter, Row extends Record<string, unknown>>(services: ExportServices, spec: ExportSpec<Filter, Row>): Router {
  const router = express.Router();
  const guard = requireApiKey(services.authenticate, (response, message) => response.json({ error: message }));
  router.get(spec.path, guard, async (request, response, next) => {
    try {
      const principal = principalOf(response)!;
      if (principal.role === ApiKeyRole.INGEST) {
        response.status(403).json({ error: 'This needs a key with role READ (or ADMIN); this key has role INGEST' });
        return;
      }
      const retryAfter = await services.admit(principal.keyId);
      if (retryAfter !== null) {
        response.setHeader('retry-after', String(retryAfter));
        response.status(429).json({ error: `Rate limit exceeded; retry after ${retryAfter} s` });
        return;
      }
      const format = exportFormat(request.query.format ?? 'csv');
      if (!format) {
        response.status(400).json({ error: 'format must be csv or ndjson' });
        return;
      }
      const filter = spec.filter(request.query);
      await streamExport<Row>(
        request,
        response,
        format,
        spec.columns(request.query),
        (after, size) => spec.page(filter, request.query, after, size),
        spec.filename,
      );
    } catch (error) {
      const refused =
        error instanceof ExportInputError || (error as { extensions?: { code?: string } }).extensions?.code === 'BAD_USER_INPUT';
      if (!response.headersSent && refused) {
        response.status(400).json({ error: (error as Error).message });
        return;
      }
      if (response.headersSent) response.destroy(error as Error);
      else next(error);
    }
  });
  return router;
}
