import type { Client } from '@urql/core';

import { isUnauthenticated } from '../graphql/client';
import { ErrorCode } from '../graphql/generated/error-codes';
import { ViewerDocument } from '../graphql/generated/operations';
import type { ViewerLookup } from './access';

/** Asks the API who the signed-in key is. */
export async function fetchViewer(client: Client): Promise<ViewerLookup> {
  const result = await client.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  if (result.data) return result.data.viewer;
  // A revoked key may still pass authentication for a few seconds but is refused as viewer.
  if (isUnauthenticated(result.error) || result.error?.graphQLErrors.some((e) => e.extensions?.code === ErrorCode.FORBIDDEN))
    return 'unauthenticated';
  return 'unreachable';
}
