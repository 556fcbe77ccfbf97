import type { RouteLocationRaw, RouteMeta, Router } from 'vue-router';

import type { ApiKeyRole } from '../graphql/generated/operations';
import { useSession, type Viewer } from './session';

/** What loading the signed-in key's viewer gave: the viewer, a refused key, or no answer. */
export type ViewerLookup = Viewer | 'unauthenticated' | 'unreachable';

export function canOpen(role: ApiKeyRole | undefined, meta: RouteMeta): boolean {
  if (meta.public || !meta.roles) return true;
  return role !== undefined && meta.roles.includes(role);
}

/** Where a key lands: readers on the dashboard; an INGEST key can only send data, so it gets the page that says so. */
export function homeFor(role: ApiKeyRole): RouteLocationRaw {
  return role === 'INGEST' ? { name: 'ingest-only' } : { name: 'dashboard' };
}

/**
 * Sends visitors without a key to sign-in and keeps each key to the pages its role may open. The
 * viewer is loaded once per page load (a reload remembers the key but not its role).
 */
export function installAccessGuard(router: Router, loadViewer: () => Promise<ViewerLookup>): void {
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const session = useSession();
    if (!session.signedIn.value) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
    if (!session.viewer.value) {
      const lookup = await loadViewer();
      if (lookup === 'unauthenticated') {
        session.signOut();
        return { name: 'sign-in', query: { next: to.fullPath } };
      }
      // The server did not answer: let the page show its own error rather than guess the role.
      if (lookup === 'unreachable') return true;
      session.setViewer(lookup);
    }
    const role = session.viewer.value!.role;
    return canOpen(role, to.meta) ? true : homeFor(role);
  });
}
