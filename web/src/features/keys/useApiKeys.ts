import { useMutation, useQuery } from '@urql/vue';
import { computed } from 'vue';

import { fieldErrors, type FieldErrors } from '../../graphql/fieldErrors';
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  RevokeApiKeyDocument,
  type ApiKeyFieldsFragment,
  type ApiKeyRole,
  type CreateApiKeyMutation,
} from '../../graphql/generated/operations';

export type ApiKey = ApiKeyFieldsFragment;
export type CreatedKey = CreateApiKeyMutation['createApiKey'];

/** The API keys (revoked ones included), creating one and revoking one. ADMIN only. */
export function useApiKeys() {
  const list = useQuery({ query: ApiKeysDocument, requestPolicy: 'cache-and-network' });
  const create = useMutation(CreateApiKeyDocument);
  const revoke = useMutation(RevokeApiKeyDocument);
  const refresh = () => list.executeQuery({ requestPolicy: 'network-only' });

  return {
    keys: computed(() => list.data.value?.apiKeys ?? []),
    loaded: computed(() => list.data.value !== undefined),
    error: computed(() => list.error.value?.message ?? null),
    refresh,
    async createKey(name: string, role: ApiKeyRole): Promise<{ created: CreatedKey } | { errors: FieldErrors }> {
      const result = await create.executeMutation({ name: name.trim(), role });
      if (!result.data) return { errors: fieldErrors(result.error, ['name']) };
      await refresh();
      return { created: result.data.createApiKey };
    },
    async revokeKey(id: string): Promise<string | null> {
      const result = await revoke.executeMutation({ id });
      if (!result.data) return fieldErrors(result.error).general;
      await refresh();
      return null;
    },
  };
}
