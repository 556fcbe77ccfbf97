import type { LogEntry } from '../types.js';

/** A plausible model call; tests override what they look at. */
export function entry(overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    provider: 'openai',
    model: 'gpt-4o-mini',
    operation: 'chat',
    prompt: 'Where is my order?',
    response: 'It left the warehouse this morning.',
    inputTokens: 12,
    outputTokens: 8,
    latencyMs: 420,
    ...overrides,
  };
}
