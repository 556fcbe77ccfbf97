import type { LocationQuery, LocationQueryRaw, Router } from 'vue-router';

/** A change to the URL query: a string sets a parameter, null or '' removes it. */
export type QueryPatch = Record<string, string | null | undefined>;

/** The first value of a query parameter, or undefined when it is absent or empty. */
export function queryValue(query: LocationQuery, key: string): string | undefined {
  const raw = query[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value ? value : undefined;
}

export function patchedQuery(query: LocationQuery, patch: QueryPatch): LocationQueryRaw {
  const next: LocationQueryRaw = { ...query };
  for (const [key, value] of Object.entries(patch)) {
    if (value == null || value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

const pending = new WeakMap<Router, { patch: QueryPatch; push: boolean; done: Promise<void> }>();
const lastNavigation = new WeakMap<Router, Promise<unknown>>();

/**
 * Applies a patch to the current URL query. Patches made in the same tick (a picker and a filter
 * reacting to one click) are merged into one navigation; a patch made while a navigation is under
 * way waits for it and builds on its result. Either way no change overwrites another.
 * `push` adds a history entry (the back button undoes it); otherwise the entry is replaced.
 */
export function patchQuery(router: Router, patch: QueryPatch, options: { push?: boolean } = {}): Promise<void> {
  const queued = pending.get(router);
  if (queued) {
    Object.assign(queued.patch, patch);
    queued.push ||= Boolean(options.push);
    return queued.done;
  }
  const entry = { patch: { ...patch }, push: Boolean(options.push), done: Promise.resolve() };
  entry.done = (lastNavigation.get(router) ?? Promise.resolve()).then(async () => {
    pending.delete(router);
    const current = router.currentRoute.value;
    const target = { path: current.path, hash: current.hash, query: patchedQuery(current.query, entry.patch) };
    await (entry.push ? router.push(target) : router.replace(target));
  });
  pending.set(router, entry);
  lastNavigation.set(
    router,
    entry.done.catch(() => undefined),
  );
  return entry.done;
}
