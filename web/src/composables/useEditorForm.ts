import { computed, ref, watch, type Ref } from 'vue';

import type { FieldErrors } from '../graphql/fieldErrors';

/** A problem with a field, as an i18n key and its parameters. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

export type Problems<K extends string> = Partial<Record<K, Problem>>;

interface EditorOptions<F, K extends string, Item, Saved> {
  /** Whether the editor is open and what it edits (null: something new). */
  source: () => { open: boolean; item: Item | null };
  empty: () => F;
  fromItem: (item: Item) => F;
  validate: (form: F) => Problems<K>;
  /** A problem in words. */
  describe: (problem: Problem) => string;
  save: (form: F, item: Item | null) => Promise<{ saved: Saved } | { errors: FieldErrors }>;
  saved: (saved: Saved) => void;
}

/**
 * A form in an editor panel: filled from the item when it opens, checked as the server checks it
 * (problems shown once a save was tried), sent only when valid; what the server refuses is shown on
 * the field it names until that field is edited, anything else as a general message.
 */
export function useEditorForm<F extends object, K extends string, Item, Saved>(options: EditorOptions<F, K, Item, Saved>) {
  const form = ref(options.empty()) as Ref<F>;
  const submitted = ref(false);
  const saving = ref(false);
  const serverErrors = ref<Partial<Record<K, string>>>({}) as Ref<Partial<Record<K, string>>>;
  const general = ref<string | null>(null);

  watch(
    () => [options.source().open, options.source().item] as const,
    ([open, item]) => {
      if (!open) return;
      form.value = item ? options.fromItem(item) : options.empty();
      submitted.value = false;
      serverErrors.value = {};
      general.value = null;
    },
    { immediate: true },
  );
  // What the server said is about what was sent; an edit makes it stale.
  watch(form, () => (serverErrors.value = {}), { deep: true });

  const problems = computed(() => options.validate(form.value));
  const errors = computed(() => {
    const shown: Partial<Record<K, string>> = { ...serverErrors.value };
    if (!submitted.value) return shown;
    for (const [field, problem] of Object.entries(problems.value) as Array<[K, Problem]>) shown[field] = options.describe(problem);
    return shown;
  });

  async function submit() {
    submitted.value = true;
    general.value = null;
    if (Object.keys(problems.value).length > 0 || saving.value) return;
    saving.value = true;
    const outcome = await options.save(form.value, options.source().item);
    saving.value = false;
    if ('saved' in outcome) options.saved(outcome.saved);
    else {
      serverErrors.value = outcome.errors.fields as Partial<Record<K, string>>;
      general.value = outcome.errors.general;
    }
  }

  return { form, saving, general, problems, errors, submit };
}
