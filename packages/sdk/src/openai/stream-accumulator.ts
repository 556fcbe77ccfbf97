import type { LogEntry } from '../types.js';

/** Reads the chunks of one streamed call; `add` says whether the chunk carried generated content. */
export interface StreamAccumulator {
  add(item: unknown): boolean;
  result(): Partial<LogEntry>;
}
