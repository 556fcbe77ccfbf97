import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'lmn_';
const SHOWN_PREFIX_LENGTH = 12;

/** A new secret: 32 random bytes, so a plain SHA-256 hash is enough to store it safely. */
export function generateApiKeySecret(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function shownPrefix(secret: string): string {
  return secret.slice(0, SHOWN_PREFIX_LENGTH);
}

/** Reads `Bearer <key>` (the scheme is case-insensitive); anything else gives undefined. */
export function parseBearer(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
