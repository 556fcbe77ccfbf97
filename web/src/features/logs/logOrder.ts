import type { LogOrder } from '../../graphql/generated/operations';

/** The columns the Logs page sorts by, and the order each starts in when first clicked. */
export const SORT_COLUMNS = ['time', 'latency', 'tokens', 'cost'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

const ORDERS: readonly LogOrder[] = [
  'TIME_DESC',
  'TIME_ASC',
  'LATENCY_DESC',
  'LATENCY_ASC',
  'TOKENS_DESC',
  'TOKENS_ASC',
  'COST_DESC',
  'COST_ASC',
];

/** The order the address asks for (`?sort=`), newest first when it names none the API knows. */
export function toLogOrder(value: string | undefined): LogOrder {
  return (ORDERS as readonly (string | undefined)[]).includes(value) ? (value as LogOrder) : 'TIME_DESC';
}

/** The column and direction of an order. */
export function sortOf(order: LogOrder): { column: SortColumn; descending: boolean } {
  const [column, direction] = order.toLowerCase().split('_') as [SortColumn, string];
  return { column, descending: direction === 'desc' };
}

/** A click on a column's header: largest (or newest) first, then the other way on a second click. */
export function nextOrder(current: LogOrder, column: SortColumn): LogOrder {
  const { column: now, descending } = sortOf(current);
  const flip = now === column && descending;
  return `${column.toUpperCase()}_${flip ? 'ASC' : 'DESC'}` as LogOrder;
}
