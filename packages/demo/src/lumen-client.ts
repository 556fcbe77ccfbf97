import type { AlertRuleInput, CostConfigInput as PriceInput } from '@lumen/contract';

import type { DemoFeedback } from './feedback.js';
import type { DemoLog } from './traffic.js';

export class LumenApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; field: string; message: string }>;
}

/** What the demo sends to createCostConfig and createAlertRule, typed from the schema. */
export type { AlertRuleInput, PriceInput };

/** The part of Lumen's public GraphQL API the demo uses; a fake of it is enough for tests. */
export interface LumenApi {
  createApiKey(adminKey: string, name: string, role: 'INGEST' | 'READ' | 'ADMIN'): Promise<{ id: string; key: string }>;
  revokeApiKey(adminKey: string, id: string): Promise<void>;
  costConfigs(adminKey: string): Promise<Array<{ provider: string; model: string | null; modelPattern: string | null }>>;
  createCostConfig(adminKey: string, input: PriceInput): Promise<void>;
  alertRuleNames(adminKey: string): Promise<string[]>;
  createAlertRule(adminKey: string, input: AlertRuleInput): Promise<void>;
  ingestLogs(ingestKey: string, logs: DemoLog[]): Promise<IngestOutcome>;
  submitFeedback(ingestKey: string, feedback: DemoFeedback): Promise<void>;
}

const RETRIES = 5;

// Lumen answers 429 when a key sends faster than its rate limit and 503 while its database is
// away; both say when to come back (Retry-After) and nothing of the request was stored.
const RETRYABLE_STATUS = new Set([429, 503]);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lumen over HTTP, retrying when the server cannot be reached, is busy or is restarting. */
export class LumenClient implements LumenApi {
  constructor(private readonly url: string) {}

  async request<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let body: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> } | undefined;
    for (let attempt = 0; ; attempt++) {
      const backoff = 500 * 2 ** attempt;
      try {
        const response = await fetch(`${this.url.replace(/\/$/, '')}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(60_000),
        });
        if (RETRYABLE_STATUS.has(response.status) && attempt < RETRIES) {
          const retryAfter = Number(response.headers.get('retry-after'));
          await pause(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff);
          continue;
        }
        body = (await response.json()) as typeof body;
        break;
      } catch (error) {
        if (attempt >= RETRIES) throw new LumenApiError(`Lumen at ${this.url} did not answer: ${(error as Error).message}`, 'UNREACHABLE');
        await pause(backoff);
      }
    }
    if (body?.data && !body.errors?.length) return body.data;
    const first = body?.errors?.[0];
    throw new LumenApiError(first?.message ?? 'Lumen answered without data', first?.extensions?.code);
  }

  async createApiKey(adminKey: string, name: string, role: 'INGEST' | 'READ' | 'ADMIN') {
    const data = await this.request<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      adminKey,
      'mutation($name: String!, $role: ApiKeyRole!) { createApiKey(name: $name, role: $role) { key apiKey { id } } }',
      { name, role },
    );
    return { id: data.createApiKey.apiKey.id, key: data.createApiKey.key };
  }

  async revokeApiKey(adminKey: string, id: string) {
    await this.request(adminKey, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });
  }

  async costConfigs(adminKey: string) {
    const data = await this.request<{ costConfigs: Array<{ provider: string; model: string | null; modelPattern: string | null }> }>(
      adminKey,
      '{ costConfigs { provider model modelPattern } }',
    );
    return data.costConfigs;
  }

  async createCostConfig(adminKey: string, input: PriceInput) {
    await this.request(adminKey, 'mutation($input: CostConfigInput!) { createCostConfig(input: $input) { id } }', { input });
  }

  async alertRuleNames(adminKey: string) {
    const data = await this.request<{ alertRules: Array<{ name: string }> }>(adminKey, '{ alertRules { name } }');
    return data.alertRules.map((rule) => rule.name);
  }

  async createAlertRule(adminKey: string, input: AlertRuleInput) {
    await this.request(adminKey, 'mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id } }', { input });
  }

  async ingestLogs(ingestKey: string, logs: DemoLog[]) {
    const data = await this.request<{ ingestLogs: IngestOutcome }>(
      ingestKey,
      'mutation($logs: [LogInput!]!) { ingestLogs(logs: $logs) { accepted duplicates rejected { index field message } } }',
      { logs },
    );
    return data.ingestLogs;
  }

  async submitFeedback(ingestKey: string, feedback: DemoFeedback) {
    await this.request(ingestKey, 'mutation($input: FeedbackInput!) { submitFeedback(input: $input) { id } }', { input: feedback });
  }
}
