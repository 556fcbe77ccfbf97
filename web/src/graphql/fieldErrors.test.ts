import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

import { fieldErrors } from './fieldErrors';

const badInput = (field: string, reason: string) =>
  new GraphQLError(`${field}: ${reason}`, { extensions: { code: 'BAD_USER_INPUT', field } });

describe('fieldErrors', () => {
  it('puts each BAD_USER_INPUT message on the field it names, without the field prefix', () => {
    const error = new CombinedError({ graphQLErrors: [badInput('modelPattern', 'is not a valid regular expression (x)')] });
    expect(fieldErrors(error, ['modelPattern'])).toEqual({
      fields: { modelPattern: 'is not a valid regular expression (x)' },
      general: null,
    });
  });

  it('keeps errors about fields the form does not show, and other errors, as the general message', () => {
    const duplicate = new CombinedError({ graphQLErrors: [badInput('input', 'a price for this provider already exists')] });
    expect(fieldErrors(duplicate, ['provider'])).toEqual({ fields: {}, general: 'input: a price for this provider already exists' });
    const forbidden = new CombinedError({ graphQLErrors: [new GraphQLError('needs ADMIN', { extensions: { code: 'FORBIDDEN' } })] });
    expect(fieldErrors(forbidden, ['provider']).general).toBe('needs ADMIN');
    expect(fieldErrors(new CombinedError({ networkError: new Error('Failed to fetch') })).general).toBe('Failed to fetch');
    expect(fieldErrors(undefined)).toEqual({ fields: {}, general: null });
  });
});
