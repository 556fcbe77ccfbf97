import type { CombinedError } from '@urql/core';

import { ErrorCode } from './generated/error-codes';

/** What a refused mutation says, split into messages for named input fields and the rest. */
export interface FieldErrors {
  fields: Record<string, string>;
  general: string | null;
}

/**
 * Maps the API's BAD_USER_INPUT errors (`extensions.field`, message "field: reason") onto form
 * fields; other errors (and fields a form does not show) become the general message.
 */
export function fieldErrors(error: CombinedError | undefined, formFields: readonly string[] = []): FieldErrors {
  const result: FieldErrors = { fields: {}, general: null };
  if (!error) return result;
  for (const graphQLError of error.graphQLErrors) {
    const field = graphQLError.extensions?.field;
    if (graphQLError.extensions?.code === ErrorCode.BAD_USER_INPUT && typeof field === 'string' && formFields.includes(field)) {
      result.fields[field] = graphQLError.message.startsWith(`${field}: `)
        ? graphQLError.message.slice(field.length + 2)
        : graphQLError.message;
    } else {
      result.general ??= graphQLError.message;
    }
  }
  if (error.networkError) result.general ??= error.networkError.message;
  if (!result.general && Object.keys(result.fields).length === 0) result.general = error.message;
  return result;
}
