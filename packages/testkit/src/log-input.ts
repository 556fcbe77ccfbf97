import { randomUUID } from 'node:crypto';
import type { LogInput } from '@lumen/contract';

/** A realistic log input, checked against the schema's LogInput; override what a test cares about. */
export function logInput<T extends Record<string, unknown>>(overrides: T = {} as T) {
  const defaults = {
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
  } satisfies LogInput;
  return { ...defaults, ...overrides } as Omit<typeof defaults, keyof T> & T;
}
