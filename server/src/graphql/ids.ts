import { badUserInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIGINT = /^[1-9]\d{0,18}$/;

/** Ids come from clients: a malformed one is the client's mistake, not a database error. */
export function uuidOrThrow(id: string, field = 'id'): string {
  if (!UUID.test(id)) throw badUserInput(field, 'is not a valid id');
  return id.toLowerCase();
}

export function bigintIdOrThrow(id: string, field = 'id'): string {
  if (!BIGINT.test(id) || BigInt(id) > 9223372036854775807n) throw badUserInput(field, 'is not a valid id');
  return id;
}
