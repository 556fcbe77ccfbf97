import type { SqlParams } from '../db/sql-params.js';
import { badUserInput } from '../graphql/errors.js';

/**
 * The text a search looks in, exactly as the trigram index app_log_content_trgm_index is built on it
 * (log.entity.ts): the same expression, or PostgreSQL would not use the index.
 */
export const SEARCHED_TEXT = `(coalesce(l.prompt, '') || ' ' || coalesce(l.response, ''))`;

/** The dimensions every app_log read can be narrowed by (logs list, metrics, cost recomputation). */
export interface LogConditions {
  appId?: string | null;
  model?: string | null;
  provider?: string | null;
  userId?: string | null;
  status?: string | null;
  traceId?: string | null;
  sessionId?: string | null;
  search?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const COLUMNS = {
  appId: 'app_id',
  model: 'model',
  provider: 'provider',
  userId: 'user_id',
  status: 'status',
  traceId: 'trace_id',
  sessionId: 'session_id',
} as const;

/** SQL conditions on app_log (aliased `alias`), to be joined with AND. */
export function logConditions(conditions: LogConditions, params: SqlParams, alias = 'l'): string[] {
  const sql: string[] = [];
  for (const [key, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const value = conditions[key];
    if (value != null) sql.push(`${alias}.${column} = ${params.add(value)}`);
  }
  if (conditions.search != null) {
    const term = conditions.search.trim();
    if (term.length < 2 || term.length > 200) throw badUserInput('filter.search', 'must be 2 to 200 characters');
    // ILIKE with the pattern characters escaped: the text is looked for as written.
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    sql.push(`${SEARCHED_TEXT.replaceAll('l.', `${alias}.`)} ilike ${params.add(pattern)}`);
  }
  if (conditions.from) sql.push(`${alias}.ts >= ${params.add(conditions.from)}`);
  if (conditions.to) sql.push(`${alias}.ts < ${params.add(conditions.to)}`);
  return sql;
}

export function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
}
