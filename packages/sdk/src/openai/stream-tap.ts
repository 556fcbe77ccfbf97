import type { StreamAccumulator } from './stream-accumulator.js';

export interface StreamEnd {
  /** From the start of the call to the first chunk with generated content. */
  timeToFirstTokenMs?: number;
  /** False when the consumer stopped early (break, abort) or the stream failed. */
  completed: boolean;
  error?: unknown;
}

interface TappableStream {
  iterator?: (...args: unknown[]) => AsyncIterator<unknown>;
  controller?: { signal?: AbortSignal };
  [Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
}

/**
 * Watches the chunks of a stream as the caller reads them, in place: the caller keeps the very
 * object the client returned (with its controller, tee() and toReadableStream()). `onEnd` runs
 * once, when the stream ends, fails or is abandoned. A stream that is never read is never logged.
 */
export function tapStream(stream: object, accumulator: StreamAccumulator, started: number, onEnd: (end: StreamEnd) => void): void {
  const target = stream as TappableStream;
  let ended = false;
  let timeToFirstTokenMs: number | undefined;
  const end = (outcome: Omit<StreamEnd, 'timeToFirstTokenMs'>) => {
    if (ended) return;
    ended = true;
    const aborted = target.controller?.signal?.aborted === true;
    onEnd({ ...outcome, completed: outcome.completed && !aborted, timeToFirstTokenMs });
  };

  const tap = (source: AsyncIterator<unknown>): AsyncIterableIterator<unknown> => ({
    async next(...args: [] | [unknown]) {
      let step: IteratorResult<unknown>;
      try {
        step = await source.next(...args);
      } catch (error) {
        end({ completed: false, error });
        throw error;
      }
      if (step.done) {
        end({ completed: true });
        return step;
      }
      try {
        if (accumulator.add(step.value) && timeToFirstTokenMs === undefined) timeToFirstTokenMs = performance.now() - started;
      } catch {
        // A chunk of an unexpected shape is the caller's to read; the log just learns less.
      }
      return step;
    },
    async return(value?: unknown) {
      end({ completed: false });
      return source.return ? source.return(value) : { done: true as const, value };
    },
    async throw(error?: unknown) {
      end({ completed: false, error });
      if (source.throw) return source.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  });

  // The openai package's Stream reads through its `iterator` (for iteration, tee() and
  // toReadableStream() alike); other async iterables through Symbol.asyncIterator.
  if (typeof target.iterator === 'function') {
    const original = target.iterator;
    target.iterator = function (this: unknown, ...args: unknown[]) {
      return tap(original.apply(this, args));
    };
  } else if (typeof target[Symbol.asyncIterator] === 'function') {
    const original = target[Symbol.asyncIterator]!;
    target[Symbol.asyncIterator] = function (this: unknown) {
      return tap(original.call(this));
    };
  }
}
