/** The openai package's APIPromise, as far as the wrapper relies on it. */
interface APIPromiseLike extends PromiseLike<unknown> {
  parse(...args: unknown[]): PromiseLike<unknown>;
  asResponse(): PromiseLike<unknown>;
}

export interface ResultWatcher {
  /** The HTTP response has arrived (headers; the body may still be coming). */
  responded(): void;
  value(value: unknown): void;
  error(error: unknown): void;
}

/**
 * Watches what a create() call returned without changing it, and calls the watcher once with the
 * value or the error. The caller's promise is never replaced, and nothing here can reject.
 *
 * An openai APIPromise is watched without reading its body: the response is awaited through
 * asResponse() (which leaves the body alone), and the parsed value is seen when the caller parses
 * it (then, await, withResponse). A caller that only takes asResponse() gets its body untouched,
 * and the call is logged only if it fails.
 */
export function watchResult(result: unknown, watcher: ResultWatcher): void {
  let done = false;
  const once = (fn: () => void) => () => {
    if (done) return;
    done = true;
    fn();
  };
  if (isAPIPromise(result)) {
    result.asResponse().then(
      () => watcher.responded(),
      (error: unknown) => once(() => watcher.error(error))(),
    );
    const parse = result.parse;
    let hooked = false;
    result.parse = function (this: unknown, ...args: unknown[]) {
      const parsed = parse.apply(this, args);
      if (!hooked) {
        hooked = true;
        parsed.then(
          (value) => once(() => watcher.value(value))(),
          (error: unknown) => once(() => watcher.error(error))(),
        );
      }
      return parsed;
    };
  } else if (isThenable(result)) {
    result.then(
      (value) => once(() => watcher.value(value))(),
      (error: unknown) => once(() => watcher.error(error))(),
    );
  } else {
    once(() => watcher.value(result))();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function isAPIPromise(value: unknown): value is APIPromiseLike {
  return (
    isThenable(value) && typeof (value as APIPromiseLike).parse === 'function' && typeof (value as APIPromiseLike).asResponse === 'function'
  );
}
