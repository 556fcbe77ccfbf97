import type { AuthChecker } from 'type-graphql';

import type { LumenContext, LumenPrincipal } from '../graphql/context.js';
import { forbidden, unauthenticated } from '../graphql/errors.js';
import { ApiKeyRole } from './api-key.entity.js';

/** `@Authorized(ApiKeyRole.READ)` admits READ and ADMIN keys; ADMIN passes every check. */
export const authChecker: AuthChecker<LumenContext, ApiKeyRole> = ({ context }, roles) => requireRole(context, roles);

/** The same check where a decorator cannot make it (a subscription's subscribe function). */
export function requireRole(context: LumenContext, roles: readonly ApiKeyRole[]): true {
  const principal = context.principal;
  if (!principal) throw unauthenticated();
  if (principal.role === ApiKeyRole.ADMIN || roles.length === 0 || roles.includes(principal.role)) return true;
  const below = roles.filter((role) => role !== ApiKeyRole.ADMIN);
  throw forbidden(
    `This needs ${below.length > 0 ? `a key with role ${below.join(' or ')} (or ADMIN)` : 'an ADMIN key'}; this key has role ${principal.role}`,
  );
}

/** The principal of a resolver guarded by @Authorized. */
export function principalOf(context: LumenContext): LumenPrincipal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
