import {
  cacheExchange,
  Client,
  fetchExchange,
  makeOperation,
  mapExchange,
  subscriptionExchange,
  type CombinedError,
  type Operation,
} from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { computed, readonly, ref, watch } from 'vue';

import { ErrorCode } from './generated/error-codes';

let wsClient: WsClient | null = null;
let wsKey: string | null = null;

const lost = ref(false);
/**
 * Whether the websocket to the server was lost and is being retried (not closed on purpose): the
 * live views say so rather than showing their last figures as current.
 */
export const connectionLost = readonly(lost);

const httpLost = ref(false);
/** Whether the server cannot be reached, by the websocket or by the last HTTP request (until a probe answers). */
export const serverUnreachable = computed(() => lost.value || httpLost.value);
const returns = ref(0);
/** Counts the server's returns after an outage: whatever failed or went stale meanwhile is fetched again. */
export const reconnections = readonly(returns);
watch(serverUnreachable, (now, before) => {
  if (before && !now) returns.value += 1;
});

/** A request that never reached the server, or that a proxy in front of it answered for it. */
function unreachable(error: CombinedError): boolean {
  if (!error.networkError) return false;
  const status = error.response?.status;
  return status === undefined || status === 0 || status === 502 || status === 503 || status === 504;
}

const PROBE_MS = 2_000;
let probe: ReturnType<typeof setTimeout> | null = null;
/** While HTTP requests fail, asks /healthz every two seconds whether the server is back. */
function markUnreachable(): void {
  httpLost.value = true;
  if (probe) return;
  const check = async () => {
    try {
      const response = await fetch('/healthz', { cache: 'no-store' });
      if (response.ok) {
        probe = null;
        httpLost.value = false;
        return;
      }
    } catch {
      // Still unreachable.
    }
    probe = setTimeout(check, PROBE_MS);
  };
  probe = setTimeout(check, PROBE_MS);
}

/** The app's own code could not be loaded (a page's chunk, while the server was down). */
export function reportUnreachable(): void {
  markUnreachable();
}

// The queries pages have asked for, by key; urql ignores a re-execution of one no longer in use.
const recentQueries = new Map<number, Operation>();
const RECENT_QUERIES_MAX = 200;
function remember(operation: Operation): void {
  if (operation.kind !== 'query') return;
  recentQueries.delete(operation.key);
  recentQueries.set(operation.key, operation);
  if (recentQueries.size > RECENT_QUERIES_MAX) recentQueries.delete(recentQueries.keys().next().value!);
}

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
  const client = new Client({
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
        onOperation: remember,
        onResult(result) {
          if (!result.error || !unreachable(result.error)) httpLost.value = false;
        },
        onError(error) {
          if (unreachable(error)) markUnreachable();
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
  // Back from an outage, every query still shown is fetched again from the network.
  watch(reconnections, () => {
    for (const operation of recentQueries.values())
      client.reexecuteOperation(makeOperation(operation.kind, operation, { ...operation.context, requestPolicy: 'network-only' }));
  });
  return client;
}
