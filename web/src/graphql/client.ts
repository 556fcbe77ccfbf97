import { cacheExchange, Client, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { readonly, ref } from 'vue';

import { ErrorCode } from './generated/error-codes';

let wsClient: WsClient | null = null;
let wsKey: string | null = null;

const lost = ref(false);
/**
 * Whether the websocket to the server was lost and is being retried (not closed on purpose): the
 * live views say so rather than showing their last figures as current.
 */
export const connectionLost = readonly(lost);

/** One websocket per signed-in key; a new key (or sign-out) closes the old socket. */
function websocketFor(key: string): WsClient {
  if (wsClient && wsKey === key) return wsClient;
  void wsClient?.dispose();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  wsClient = createWsClient({
    url,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => {
        lost.value = false;
      },
      // 1000 is a close on purpose (the last subscription ended); anything else is a lost server.
      closed: (event) => {
        if ((event as CloseEvent | undefined)?.code !== 1000) lost.value = true;
      },
    },
  });
  wsKey = key;
  return wsClient;
}

export function closeWebsocket(): void {
  void wsClient?.dispose();
  lost.value = false;
  wsClient = null;
  wsKey = null;
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === ErrorCode.UNAUTHENTICATED) || error?.response?.status === 401);
}

/** What the client reads of the signed-in session (session/session.ts): the key it sends, and sign-out. */
export interface ClientSession {
  apiKey: { readonly value: string | null };
  signedIn: { readonly value: boolean };
  signOut(): void;
}

/**
 * The GraphQL client: queries and mutations over HTTP with the session's key, subscriptions over
 * graphql-ws. A refused key signs the user out.
 */
export function createGraphqlClient(session: ClientSession, onSignedOut: () => void): Client {
  return new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    // POST with a JSON body: the API's CSRF protection refuses simple GET requests.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const key = session.apiKey.value;
      return key ? { headers: { authorization: `Bearer ${key}` } } : {};
    },
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error) && session.signedIn.value) {
            session.signOut();
            closeWebsocket();
            onSignedOut();
          }
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const key = session.apiKey.value;
              if (!key) {
                sink.complete();
                return { unsubscribe: () => undefined };
              }
              const unsubscribe = websocketFor(key).subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
