import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

import { badUserInput, notFound } from '../graphql/errors.js';
import { uuidOrThrow } from '../graphql/ids.js';
import { ApiKey, ApiKeyRole } from './api-key.entity.js';
import { generateApiKeySecret, hashApiKey, parseBearer, shownPrefix } from './api-key.secret.js';

export interface Principal {
  keyId: string;
  name: string;
  role: ApiKeyRole;
}

interface CachedKey {
  principal: Principal | null;
  expiresAt: number;
}

// A short cache keeps authentication off the database on hot ingest paths; a revocation on another
// replica takes effect within this time, on this one at once.
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiKeyService {
  private readonly cache = new Map<string, CachedKey>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
  ) {}

  async create(name: string, role: ApiKeyRole): Promise<{ key: string; apiKey: ApiKey }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 100) throw badUserInput('name', 'must be 1 to 100 characters');
    const key = generateApiKeySecret();
    const em = this.orm.em.fork();
    const apiKey = em.create(ApiKey, { name: trimmed, role, keyHash: hashApiKey(key), prefix: shownPrefix(key), createdAt: new Date() });
    await em.flush();
    this.log.info({ keyId: apiKey.id, role, name: trimmed }, 'API key created');
    return { key, apiKey };
  }

  /** Stores a key whose secret is already known (LUMEN_ADMIN_KEY, the generated first-run key) unless it exists. */
  async ensure(secret: string, name: string, role: ApiKeyRole): Promise<'created' | 'exists' | 'revoked'> {
    const em = this.orm.em.fork();
    const existing = await em.findOne(ApiKey, { keyHash: hashApiKey(secret) });
    if (existing) return existing.revokedAt ? 'revoked' : 'exists';
    em.create(ApiKey, { name, role, keyHash: hashApiKey(secret), prefix: shownPrefix(secret), createdAt: new Date() });
    await em.flush();
    return 'created';
  }

  async list(includeRevoked: boolean): Promise<ApiKey[]> {
    return this.orm.em.fork().find(ApiKey, includeRevoked ? {} : { revokedAt: null }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  async byId(id: string): Promise<ApiKey | null> {
    return this.orm.em.fork().findOne(ApiKey, { id: uuidOrThrow(id) });
  }

  /** Which of these keys are still active (not revoked, not deleted). */
  async activeKeyIds(ids: string[]): Promise<Set<string>> {
    const active = await this.orm.em.fork().find(ApiKey, { id: { $in: ids }, revokedAt: null }, { fields: ['id'] });
    return new Set(active.map((key) => key.id));
  }

  async countActiveAdmins(): Promise<number> {
    return this.orm.em.fork().count(ApiKey, { role: ApiKeyRole.ADMIN, revokedAt: null });
  }

  async revoke(id: string): Promise<ApiKey> {
    const em = this.orm.em.fork();
    const apiKey = await em.findOne(ApiKey, { id: uuidOrThrow(id) });
    if (!apiKey) throw notFound('API key', id);
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      await em.flush();
      this.log.info({ keyId: apiKey.id }, 'API key revoked');
    }
    for (const [hash, entry] of this.cache) if (entry.principal?.keyId === apiKey.id) this.cache.delete(hash);
    return apiKey;
  }

  /** The principal of an `Authorization: Bearer <key>` header, or null when it carries no valid key. */
  async authenticateHeader(authorization: string | undefined): Promise<Principal | null> {
    const secret = parseBearer(authorization);
    return secret ? this.authenticate(secret) : null;
  }

  /** The principal for a secret, or null when the key is unknown or revoked. */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashApiKey(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) {
      if (cached.principal) this.touch(cached.principal.keyId, now);
      return cached.principal;
    }
    const apiKey = await this.orm.em.fork().findOne(ApiKey, { keyHash: hash });
    const principal = apiKey && !apiKey.revokedAt ? { keyId: apiKey.id, name: apiKey.name, role: apiKey.role } : null;
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { principal, expiresAt: now + CACHE_TTL_MS });
    if (principal) this.touch(principal.keyId, now);
    return principal;
  }

  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.orm.em
      .fork()
      .nativeUpdate(ApiKey, { id: keyId }, { lastUsedAt: new Date(now) })
      .catch((error: unknown) => this.log.warn({ err: error, keyId }, 'could not record API key use'));
  }
}
