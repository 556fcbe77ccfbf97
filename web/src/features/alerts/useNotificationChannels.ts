import { useMutation, useQuery } from '@urql/vue';
import { computed } from 'vue';

import { fieldErrors, type FieldErrors } from '../../graphql/fieldErrors';
import {
  CreateNotificationChannelDocument,
  DeleteNotificationChannelDocument,
  NotificationChannelsDocument,
  TestNotificationChannelDocument,
  UpdateNotificationChannelDocument,
  type NotificationChannelFieldsFragment,
  type NotificationChannelInput,
  type TestNotificationChannelMutation,
} from '../../graphql/generated/operations';

export type NotificationChannel = NotificationChannelFieldsFragment;
export type ChannelTest = TestNotificationChannelMutation['testNotificationChannel'];
export type ChannelSaveOutcome = { saved: NotificationChannel; secret: string | null } | { errors: FieldErrors };

export const CHANNEL_INPUT_FIELDS = [
  'input.name',
  'input.url',
  'input.secret',
  'input.emails',
  ...Array.from({ length: 50 }, (_, i) => `input.emails.${i}`),
];

/** Every notification channel, by name (READ). */
export function useNotificationChannels() {
  const channels = useQuery({ query: NotificationChannelsDocument, requestPolicy: 'cache-and-network' });
  return {
    channels: computed(() => channels.data.value?.notificationChannels ?? []),
    loaded: computed(() => channels.data.value !== undefined),
    error: computed(() => channels.error.value?.message ?? null),
    refresh: () => channels.executeQuery({ requestPolicy: 'network-only' }),
  };
}

/** Creating, replacing, deleting and testing channels (ADMIN). */
export function useNotificationChannelChanges() {
  const create = useMutation(CreateNotificationChannelDocument);
  const update = useMutation(UpdateNotificationChannelDocument);
  const remove = useMutation(DeleteNotificationChannelDocument);
  const test = useMutation(TestNotificationChannelDocument);
  const errors = (error: Parameters<typeof fieldErrors>[0]): FieldErrors => {
    const found = fieldErrors(error, CHANNEL_INPUT_FIELDS);
    return {
      fields: Object.fromEntries(
        Object.entries(found.fields).map(([field, message]) => [field.replace(/^input\./, '').replace(/^emails\.\d+$/, 'emails'), message]),
      ),
      general: found.general,
    };
  };
  return {
    async save(id: string | null, input: NotificationChannelInput): Promise<ChannelSaveOutcome> {
      if (id) {
        const result = await update.executeMutation({ id, input });
        return result.data ? { saved: result.data.updateNotificationChannel, secret: null } : { errors: errors(result.error) };
      }
      const result = await create.executeMutation({ input });
      return result.data
        ? { saved: result.data.createNotificationChannel.channel, secret: result.data.createNotificationChannel.secret ?? null }
        : { errors: errors(result.error) };
    },
    async deleteChannel(id: string): Promise<string | null> {
      const result = await remove.executeMutation({ id });
      return result.data?.deleteNotificationChannel ? null : fieldErrors(result.error).general;
    },
    async test(id: string, language: string): Promise<{ result: ChannelTest } | { error: string }> {
      const result = await test.executeMutation({ id, language });
      return result.data ? { result: result.data.testNotificationChannel } : { error: fieldErrors(result.error).general ?? '' };
    },
  };
}
