import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { deferred } from './deferred.js';

/** A real graphql-ws client over a socket; `closed` resolves with the close event's code and reason. */
export function wsClient(baseUrl: string, key: string | null): { client: Client; closed: Promise<{ code: number; reason: string }> } {
  const closed = deferred<{ code: number; reason: string }>();
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: false,
    // The close is reported through `closed`; without this the client also prints it.
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closed.resolve({ code, reason: String(reason) });
      },
    },
  });
  return { client, closed: closed.promise };
}

/** Runs a query or mutation over the socket and returns its one result. */
export function wsQuery<T>(client: Client, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: unknown[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T; errors?: unknown[] } | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          result = value as { data?: T; errors?: unknown[] };
        },
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
      },
    );
  });
}

export interface Subscription<T> {
  /** Every result so far (a refused subscription gives one with errors). */
  events: { data?: T; errors?: unknown[] }[];
  /** Resolves with the first `count` results once they have arrived. */
  next(count: number): Promise<{ data?: T; errors?: unknown[] }[]>;
  unsubscribe(): void;
}

/** Subscribes over the socket and collects the results, to be awaited with `next(n)`. */
export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  type Result = { data?: T; errors?: unknown[] };
  const events: Result[] = [];
  const waiting: { count: number; done: ReturnType<typeof deferred<Result[]>> }[] = [];
  const push = (event: Result) => {
    events.push(event);
    for (const wait of waiting.filter((w) => events.length >= w.count)) wait.done.resolve(events.slice(0, wait.count));
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    { next: (value) => push(value as Result), error: (error) => push({ errors: [error] }), complete: () => undefined },
  );
  return {
    events,
    unsubscribe,
    next(count) {
      if (events.length >= count) return Promise.resolve(events.slice(0, count));
      const done = deferred<Result[]>();
      waiting.push({ count, done });
      return done.promise;
    },
  };
}
