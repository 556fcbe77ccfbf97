import { useMutation, useQuery } from '@urql/vue';
import { computed } from 'vue';

import { fieldErrors, type FieldErrors } from '../../graphql/fieldErrors';
import {
  CreateSilenceDocument,
  ExpireSilenceDocument,
  SilencesDocument,
  type AlertSilenceFieldsFragment,
  type AlertSilenceInput,
} from '../../graphql/generated/operations';

export type AlertSilence = AlertSilenceFieldsFragment;

const SILENCE_INPUT_FIELDS = [
  'input.ruleId',
  'input.appId',
  'input.model',
  'input.durationMinutes',
  'input.startsAt',
  'input.endsAt',
  'input.reason',
];

/** Silences (READ), and setting and ending them (ADMIN). */
export function useSilences() {
  const list = useQuery({ query: SilencesDocument, requestPolicy: 'cache-and-network' });
  const create = useMutation(CreateSilenceDocument);
  const expire = useMutation(ExpireSilenceDocument);
  return {
    silences: computed(() => list.data.value?.silences ?? []),
    loaded: computed(() => list.data.value !== undefined),
    error: computed(() => list.error.value?.message ?? null),
    refresh: () => list.executeQuery({ requestPolicy: 'network-only' }),
    async create(input: AlertSilenceInput): Promise<{ saved: AlertSilence } | { errors: FieldErrors }> {
      const result = await create.executeMutation({ input });
      if (result.data) return { saved: result.data.createSilence };
      const found = fieldErrors(result.error, SILENCE_INPUT_FIELDS);
      return {
        errors: {
          fields: Object.fromEntries(Object.entries(found.fields).map(([field, message]) => [field.replace(/^input\./, ''), message])),
          general: found.general,
        },
      };
    },
    async expire(id: string): Promise<string | null> {
      const result = await expire.executeMutation({ id });
      return result.data ? null : fieldErrors(result.error).general;
    },
  };
}
