import type { SqlParams } from '../db/sql-params.js';

/** The dimensions every app_log read can be narrowed by (logs list, metrics, cost recomputation). */
export interface LogConditions {
  appId?: string | null;
  model?: string | null;
  provider?: string | null;
  userId?: string | null;
  status?: string | null;
  traceId?: string | null;
  sessionId?: string | null;
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
  if (conditions.from) sql.push(`${alias}.ts >= ${params.add(conditions.from)}`);
  if (conditions.to) sql.push(`${alias}.ts < ${params.add(conditions.to)}`);
  return sql;
}

export function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
}
