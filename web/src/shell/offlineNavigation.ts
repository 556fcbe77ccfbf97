import { readonly, ref, watch } from 'vue';
import type { Router } from 'vue-router';

import { reconnections, reportUnreachable } from '../graphql/client';

const pending = ref<string | null>(null);
/** The page the viewer asked for while its code could not be loaded: it opens once the server is back. */
export const pendingNavigation = readonly(pending);

/** A page's code (a lazily loaded chunk) could not be fetched: the server, or the network to it, is down. */
function isLoadFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported|Unable to preload/i.test(message);
}

/**
 * A click on a page whose code cannot be loaded must not do nothing and say nothing: the shell says the
 * server cannot be reached and which page waits, and the page opens by itself when the server answers again.
 */
export function installOfflineNavigation(router: Router): void {
  router.onError((error, to) => {
    if (!isLoadFailure(error)) return;
    pending.value = to.fullPath;
    reportUnreachable();
  });
  router.afterEach((_to, _from, failure) => {
    if (!failure) pending.value = null;
  });
  watch(reconnections, () => {
    const target = pending.value;
    if (target) void router.push(target);
  });
}
