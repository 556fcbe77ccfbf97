import { randomUUID } from 'node:crypto';

/** A realistic log input; override what a test cares about. */
export function logInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    timestamp: new Date().toISOString(),
    appId: 'chat',
    userId: 'user-1',
    provider: 'openai',
    model: 'gpt-4o',
    operation: 'chat',
    prompt: 'What is the capital of France?',
    response: 'Paris.',
    inputTokens: 12,
    outputTokens: 3,
    latencyMs: 420,
    status: 'SUCCESS',
    ...overrides,
  };
}

export const INGEST_LOGS = `mutation Ingest($logs: [LogInput!]!) {
  ingestLogs(logs: $logs) { accepted duplicates rejected { index field message } eventIds }
}`;

export interface IngestPayload {
  ingestLogs: { accepted: number; duplicates: number; rejected: { index: number; field: string; message: string }[]; eventIds: (string | null)[] };
}
