import { Field, ObjectType } from 'type-graphql';

import { badUserInput } from './errors.js';

@ObjectType({ description: 'Where a page ends and whether another follows.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (first < 1 || first > MAX_PAGE_SIZE) throw badUserInput('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  return first;
}

/**
 * Keyset position of a row ordered by (time desc, id desc). Time is kept in microseconds since the
 * epoch, as PostgreSQL stores it, so a cursor never lands between two rows of the same millisecond.
 */
export interface KeysetPosition {
  micros: bigint;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.micros}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): KeysetPosition {
  const match = /^(-?\d{1,19}):([0-9a-zA-Z-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badUserInput(field, 'is not a cursor returned by this API');
  return { micros: BigInt(match[1]!), id: match[2]! };
}
