import { ref, watch } from 'vue';

/**
 * The state of a dialog that confirms an action on one item (delete a price, revoke a key, resolve
 * an alert): `confirm` runs `act` on the current item, which answers null when done or the message
 * saying why not; the message is shown until another item is chosen.
 */
export function useConfirmAction<T>(item: () => T | null, act: (item: T) => Promise<string | null>, done: () => void) {
  const busy = ref(false);
  const error = ref<string | null>(null);
  watch(item, () => (error.value = null));

  async function confirm() {
    const current = item();
    if (current === null || busy.value) return;
    busy.value = true;
    error.value = await act(current);
    busy.value = false;
    if (!error.value) done();
  }

  return { busy, error, confirm };
}
