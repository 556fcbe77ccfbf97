import { describe, expect, it } from 'vitest';

import { isDatabaseUnavailable } from './unavailable.js';

describe(isDatabaseUnavailable.name, () => {
  it.each([
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '08006', message: 'connection failure' }],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [new Error('Connection terminated unexpectedly')],
    [new Error('Knex: Timeout acquiring a connection. The pool is probably full.')],
    [Object.assign(new Error('wrapped'), { cause: { code: '57P03', message: 'the database system is starting up' } })],
  ])('recognises %j as an outage', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '42P01', message: 'relation "x" does not exist' }],
    [new TypeError('Cannot read properties of undefined')],
    [null],
  ])('does not take %j for an outage', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
