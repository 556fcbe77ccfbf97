import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

// Captured before any test fakes the timers: polling must run on real time.
const realSetTimeout = globalThis.setTimeout;

/** Calls the started server's GraphQL API directly, as a dashboard or an integrator would. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, key = inject('adminKey')): Promise<T> {
  const response = await fetch(`${inject('lumenUrl')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A new key with the INGEST role, as an application would use. */
export async function createIngestKey(): Promise<string> {
  const data = await gql<{ createApiKey: { key: string } }>(
    'mutation($name: String!) { createApiKey(name: $name, role: INGEST) { key } }',
    {
      name: `sdk-test-${randomUUID()}`,
    },
  );
  return data.createApiKey.key;
}

/** An appId no other test uses, so that each test reads only its own logs. */
export function uniqueAppId(name: string): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}

export interface StoredLog {
  id: string;
  eventId: string;
  appId: string;
  userId: string | null;
  sessionId: string | null;
  traceId: string | null;
  spanId: string | null;
  provider: string;
  model: string;
  operation: string | null;
  prompt: string | null;
  response: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  status: 'SUCCESS' | 'ERROR';
  errorType: string | null;
  errorMessage: string | null;
  metadata: Record<string, unknown>;
  tags: string[];
}

const LOGS = `query($appId: String!, $after: String) {
  logs(filter: { appId: $appId }, first: 50, after: $after) {
    edges { node { id eventId appId userId sessionId traceId spanId provider model operation prompt response inputTokens outputTokens
      cachedInputTokens latencyMs timeToFirstTokenMs status errorType errorMessage metadata tags } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every stored log of an app, read page by page through the `logs` query. */
export async function storedLogs(appId: string): Promise<StoredLog[]> {
  const logs: StoredLog[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { logs: { edges: { node: StoredLog }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql(LOGS, {
      appId,
      after,
    });
    logs.push(...page.logs.edges.map((edge) => edge.node));
    if (!page.logs.pageInfo.hasNextPage) return logs;
    after = page.logs.pageInfo.endCursor;
  }
}

/** Retries `check` until it passes (or the time is up, then its last failure is thrown). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => realSetTimeout(resolve, 50));
    }
  }
}
