import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

import { ApiKeyRole } from './api-key.entity.js';
import { generateApiKeySecret } from './api-key.secret.js';
import type { ApiKeyService } from './api-key.service.js';

export const ADMIN_KEY_FILE = 'admin-key';

/**
 * Makes sure an administrator can sign in. LUMEN_ADMIN_KEY is stored when missing. Without it, a key
 * generated on an earlier first run is read back from DATA_DIR; when there is none and no admin key
 * exists at all, one is generated, kept in DATA_DIR and returned so that start-up can show it once.
 */
export async function bootstrapAdminKey(
  keys: ApiKeyService,
  adminKey: string | undefined,
  dataDir: string | null,
  log: Logger,
): Promise<{ generatedKey?: string; keyFile?: string }> {
  if (adminKey) {
    const outcome = await keys.ensure(adminKey, 'admin (LUMEN_ADMIN_KEY)', ApiKeyRole.ADMIN);
    if (outcome === 'created') log.info('admin key from LUMEN_ADMIN_KEY stored');
    if (outcome === 'revoked') log.warn('LUMEN_ADMIN_KEY was revoked and does not authenticate; set a new one');
    return {};
  }
  const keyFile = dataDir ? path.join(dataDir, ADMIN_KEY_FILE) : undefined;
  if (keyFile && existsSync(keyFile)) {
    const kept = readFileSync(keyFile, 'utf8').trim();
    const outcome = await keys.ensure(kept, 'admin (first run)', ApiKeyRole.ADMIN);
    if (outcome !== 'revoked') {
      log.info({ keyFile }, 'admin key kept from the first run');
      return { keyFile };
    }
  }
  if ((await keys.countActiveAdmins()) > 0) return {};
  const generatedKey = generateApiKeySecret();
  await keys.ensure(generatedKey, 'admin (first run)', ApiKeyRole.ADMIN);
  if (!keyFile) return { generatedKey };
  try {
    mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, `${generatedKey}\n`, { mode: 0o600 });
    return { generatedKey, keyFile };
  } catch (error) {
    log.warn({ err: error, keyFile }, 'could not keep the generated admin key; note it now');
    return { generatedKey };
  }
}
