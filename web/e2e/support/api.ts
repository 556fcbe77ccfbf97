import { inject } from 'vitest';

/** Calls the started server's GraphQL API directly, as an integrator would. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, key = inject('adminKey')): Promise<T> {
  const response = await fetch(`${inject('lumenUrl')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}
