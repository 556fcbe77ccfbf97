import type { ApiKeyRole } from '../../graphql/generated/operations';

/** The roles a new key may have, most limited first: hand out the least that does the job. */
export const KEY_ROLES: readonly ApiKeyRole[] = ['INGEST', 'READ', 'ADMIN'];

// The server's rule (server/src/auth/api-key.service.ts).
const NAME_MAX = 100;

/** The i18n key (under keys.validation) of what is wrong with a key name, or null. */
export function checkKeyName(name: string): { key: string; params?: Record<string, number> } | null {
  const trimmed = name.trim();
  if (trimmed === '') return { key: 'nameRequired' };
  if (trimmed.length > NAME_MAX) return { key: 'nameTooLong', params: { max: NAME_MAX } };
  return null;
}
