import { registerEnumType } from 'type-graphql';

import type { SqlParams } from '../db/sql-params.js';
import { badUserInput } from '../graphql/errors.js';
import { decodeCursor, encodeCursor } from '../graphql/pagination.js';

/** The orders a list of logs can be read in. */
export enum LogOrder {
  TIME_DESC = 'TIME_DESC',
  TIME_ASC = 'TIME_ASC',
  LATENCY_DESC = 'LATENCY_DESC',
  LATENCY_ASC = 'LATENCY_ASC',
  TOKENS_DESC = 'TOKENS_DESC',
  TOKENS_ASC = 'TOKENS_ASC',
  COST_DESC = 'COST_DESC',
  COST_ASC = 'COST_ASC',
}

registerEnumType(LogOrder, {
  name: 'LogOrder',
  description:
    'The order of a list of logs: by time (TIME_DESC, newest first, is the default), latency, tokens (input + output) or cost. ' +
    'Logs without a latency or a cost come after the others in either direction; ties are ordered by time, then id.',
});

/** The value a non-time order sorts by, as SQL over app_log `l`. */
const SORT_VALUE: Partial<Record<LogOrder, string>> = {
  [LogOrder.LATENCY_DESC]: 'l.latency_ms',
  [LogOrder.LATENCY_ASC]: 'l.latency_ms',
  [LogOrder.TOKENS_DESC]: '(l.input_tokens + l.output_tokens)',
  [LogOrder.TOKENS_ASC]: '(l.input_tokens + l.output_tokens)',
  [LogOrder.COST_DESC]: 'l.cost',
  [LogOrder.COST_ASC]: 'l.cost',
};
const SORT_TYPE: Partial<Record<LogOrder, string>> = {
  [LogOrder.LATENCY_DESC]: 'integer',
  [LogOrder.LATENCY_ASC]: 'integer',
  [LogOrder.TOKENS_DESC]: 'bigint',
  [LogOrder.TOKENS_ASC]: 'bigint',
  [LogOrder.COST_DESC]: 'numeric',
  [LogOrder.COST_ASC]: 'numeric',
};

const descending = (order: LogOrder) => order.endsWith('_DESC');
const TS_MICROS = `(extract(epoch from l.ts) * 1000000)::bigint`;
const fromMicros = (placeholder: string) => `timestamptz 'epoch' + ${placeholder}::bigint * interval '1 microsecond'`;

/** What a list selects besides its columns for its cursors: `ts_micros` and, for a value order, `sort_value`. */
export function orderColumns(order: LogOrder): string {
  const value = SORT_VALUE[order];
  return `${TS_MICROS} as ts_micros${value ? `, ${value}::text as sort_value` : ''}`;
}

/** The ORDER BY of a list in `order` (the value's nulls last, then time and id in the same direction). */
export function orderBy(order: LogOrder): string {
  const direction = descending(order) ? 'desc' : 'asc';
  const value = SORT_VALUE[order];
  return `${value ? `(${value} is null), ${value} ${direction}, ` : ''}l.ts ${direction}, l.id ${direction}`;
}

/** A row's position in a list, as the cursor the API hands out. */
export function orderCursor(order: LogOrder, row: { ts_micros: string; id: string; sort_value?: string | null }): string {
  const time = encodeCursor({ micros: BigInt(row.ts_micros), id: row.id });
  if (order === LogOrder.TIME_DESC) return time;
  return Buffer.from(`${order}|${row.sort_value ?? ''}|${row.sort_value == null ? 'n' : 'v'}|${time}`, 'utf8').toString('base64url');
}

/** The condition selecting the rows after `cursor` in `order`; a cursor of another order is refused. */
export function afterCondition(order: LogOrder, cursor: string, params: SqlParams): string {
  const wrongOrder = () => badUserInput('after', 'is a cursor of another order of this list: read it again from the start');
  let timeCursor = cursor;
  let value: string | null = null;
  if (order === LogOrder.TIME_DESC) {
    if (Buffer.from(cursor, 'base64url').toString('utf8').includes('|')) throw wrongOrder();
  } else {
    const match = /^([A-Z_]+)\|([-0-9.eE+]{0,80})\|([nv])\|([A-Za-z0-9_-]+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!match) {
      // A time cursor (no order in it) or something else altogether.
      decodeCursor(cursor);
      throw wrongOrder();
    }
    if (match[1] !== order) throw wrongOrder();
    if (match[3] === 'v') {
      if (match[2] === '' || Number.isNaN(Number(match[2]))) throw badUserInput('after', 'is not a cursor returned by this API');
      value = match[2]!;
    }
    timeCursor = match[4]!;
  }
  const position = decodeCursor(timeCursor);
  const before = descending(order) ? '<' : '>';
  const tail = `(l.ts, l.id) ${before} (${fromMicros(params.add(position.micros.toString()))}, ${params.add(position.id)}::bigint)`;
  const expression = SORT_VALUE[order];
  if (!expression) return tail;
  if (value === null) return `(${expression} is null and ${tail})`;
  const at = `${params.add(value)}::${SORT_TYPE[order]}`;
  return `(${expression} is null or ${expression} ${before} ${at} or (${expression} = ${at} and ${tail}))`;
}
