import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';

import { createLumenRouter } from '../router';
import { canOpen, homeFor, installAccessGuard, type ViewerLookup } from './access';
import { useSession } from './session';

const session = useSession();
const viewer = (role: 'ADMIN' | 'READ' | 'INGEST') => ({ id: 'k1', name: `${role} key`, role });

async function routerFor(lookup: ViewerLookup) {
  const router = createLumenRouter(createMemoryHistory());
  const loadViewer = vi.fn(async () => lookup);
  installAccessGuard(router, loadViewer);
  return { router, loadViewer };
}

afterEach(() => session.signOut());

describe('canOpen and homeFor', () => {
  it('open read pages to READ and ADMIN, admin pages to ADMIN, and send INGEST to its own page', () => {
    expect(canOpen('READ', { roles: ['ADMIN', 'READ'] })).toBe(true);
    expect(canOpen('READ', { roles: ['ADMIN'] })).toBe(false);
    expect(canOpen('INGEST', { roles: ['ADMIN', 'READ'] })).toBe(false);
    expect(canOpen(undefined, { public: true })).toBe(true);
    expect(homeFor('INGEST')).toEqual({ name: 'ingest-only' });
    expect(homeFor('READ')).toEqual({ name: 'dashboard' });
    expect(homeFor('ADMIN')).toEqual({ name: 'dashboard' });
  });
});

describe('installAccessGuard', () => {
  it('sends a visitor without a key to sign-in, remembering where they were going', async () => {
    const { router } = await routerFor(viewer('ADMIN'));
    await router.push('/costs?range=7d');
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.next).toBe('/costs?range=7d');
  });

  it('loads who the key is once, and keeps a READ key out of the keys page', async () => {
    session.signIn('lmn_read');
    const { router, loadViewer } = await routerFor(viewer('READ'));
    await router.push('/keys');
    expect(router.currentRoute.value.name).toBe('dashboard');
    await router.push('/costs');
    expect(router.currentRoute.value.name).toBe('costs');
    expect(loadViewer).toHaveBeenCalledTimes(1);
  });

  it('gives an INGEST key only the page that says it can send data', async () => {
    session.signIn('lmn_ingest');
    const { router } = await routerFor(viewer('INGEST'));
    await router.push('/logs');
    expect(router.currentRoute.value.name).toBe('ingest-only');
  });

  it('signs out a key the server refuses, and lets the page show the error when the server is down', async () => {
    session.signIn('lmn_revoked');
    const refused = await routerFor('unauthenticated');
    await refused.router.push('/logs');
    expect(refused.router.currentRoute.value.name).toBe('sign-in');
    expect(session.signedIn.value).toBe(false);

    session.signIn('lmn_any');
    const down = await routerFor('unreachable');
    await down.router.push('/logs');
    expect(down.router.currentRoute.value.name).toBe('logs');
  });
});
