import { computed, type Ref, type WritableComputedRef } from 'vue';

/**
 * One field of a form held in a `defineModel` ref, for `v-model` on an input: reading gives the
 * field, writing replaces the form with a copy, so the parent sees every change.
 */
export function fieldModel<F extends object, K extends keyof F>(form: Ref<F>, key: K): WritableComputedRef<F[K]> {
  return computed({ get: () => form.value[key], set: (value: F[K]) => (form.value = { ...form.value, [key]: value }) });
}
