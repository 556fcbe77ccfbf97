import { computed, ref } from 'vue';

import type { ApiKeyRole } from '../graphql/generated/operations';

const STORAGE_KEY = 'lumen.apiKey';

export interface Viewer {
  id: string;
  name: string;
  role: ApiKeyRole;
}

const apiKey = ref<string | null>(readStoredKey());
const viewer = ref<Viewer | null>(null);

function readStoredKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The signed-in API key and who it belongs to. The key stays in this browser's localStorage until
 * sign-out; the role decides which pages and actions the app offers.
 */
export function useSession() {
  return {
    apiKey: computed(() => apiKey.value),
    viewer: computed(() => viewer.value),
    signedIn: computed(() => apiKey.value !== null),
    can: (role: ApiKeyRole) => allows(viewer.value?.role, role),
    setViewer(next: Viewer) {
      viewer.value = next;
    },
    signIn(key: string) {
      apiKey.value = key.trim();
      localStorage.setItem(STORAGE_KEY, apiKey.value);
    },
    signOut() {
      apiKey.value = null;
      viewer.value = null;
      localStorage.removeItem(STORAGE_KEY);
    },
  };
}

/** ADMIN may do everything; READ and INGEST only what their own role allows. */
export function allows(have: ApiKeyRole | undefined, need: ApiKeyRole): boolean {
  return have === 'ADMIN' || have === need;
}

/** Reads `#key=...` from a sign-in link and removes it from the address bar. */
export function takeKeyFromHash(location: Location, history: History): string | null {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  return decodeURIComponent(match[1]!);
}
