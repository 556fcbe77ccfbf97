type Handle = ReturnType<typeof setTimeout>;

/**
 * The client's timers. None of them keeps the process alive on its own: an application that ends
 * without calling `flush()` or `shutdown()` is not held up by a pending batch. While a flush is
 * awaited, retry waits do hold the process open, so `await lumen.flush()` finishes its work; a
 * deadline holds it open until it passes or is cancelled.
 */
export class Timers {
  private readonly sleeping = new Set<Handle>();
  private holds = 0;

  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void {
    const handle = globalThis.setTimeout(fn, ms);
    unref(handle);
    return () => globalThis.clearTimeout(handle);
  }

  /** As `after`, but the process stays alive until it fires or is cancelled: for the deadline of an awaited flush. */
  deadline(ms: number, fn: () => void): () => void {
    const handle = globalThis.setTimeout(fn, ms);
    return () => globalThis.clearTimeout(handle);
  }

  /** A retry wait: runs `wake` after `ms`; held open only while a flush is awaited. Returns a cancel function. */
  sleep(ms: number, wake: () => void): () => void {
    const handle = globalThis.setTimeout(() => {
      this.sleeping.delete(handle);
      wake();
    }, ms);
    this.sleeping.add(handle);
    if (this.holds === 0) unref(handle);
    return () => {
      this.sleeping.delete(handle);
      globalThis.clearTimeout(handle);
    };
  }

  /** Keeps the process alive through retry waits until the returned release is called. */
  hold(): () => void {
    this.holds++;
    for (const handle of this.sleeping) ref(handle);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) for (const handle of this.sleeping) unref(handle);
    };
  }
}

// Outside Node (or under some fake timers) a handle may be a plain number.
function unref(handle: Handle): void {
  if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') handle.unref();
}

function ref(handle: Handle): void {
  if (typeof handle === 'object' && handle !== null && 'ref' in handle && typeof handle.ref === 'function') handle.ref();
}
