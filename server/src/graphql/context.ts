import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { AuthChecker } from 'type-graphql';
import type { AlertDelivery } from '../alerts/alert-delivery.entity.js';
import type { AlertRule } from '../alerts/alert-rule.entity.js';
import { ApiKeyRole } from '../auth/api-key.entity.js';
import { parseBearer } from '../auth/api-key.secret.js';
import type { Principal } from '../auth/api-key.service.js';
import type { UserFeedback } from '../feedback/feedback.entity.js';
import type { AppLog } from '../logs/log.entity.js';
import type { LogContent } from '../logs/log.query.js';
import type { Services } from '../services.js';
import { forbidden, unauthenticated } from './errors.js';

export interface LumenContext {
  requestId: string;
  /** The API key's owner; null when the request carried no key. */
  principal: Principal | null;
  services: Services;
  log: Logger;
  /** Problems of ingestLogs items found before execution, by index (logs/log-batch.precheck.ts). */
  logProblems?: ReadonlyMap<number, { field: string; message: string }[]> | null;
  loaders: {
    logContent: DataLoader<string, LogContent>;
    log: DataLoader<string, AppLog | null>;
    feedbackForLog: DataLoader<string, UserFeedback[]>;
    alertRule: DataLoader<string, AlertRule | null>;
    alertDeliveries: DataLoader<string, AlertDelivery[]>;
  };
}

/**
 * Builds the context of one HTTP request or websocket operation. A key that is sent but unknown or
 * revoked is refused at once; a request without a key may reach only fields that need none.
 */
export async function createContext(services: Services, authorization: string | undefined, requestId?: string): Promise<LumenContext> {
  let principal: Principal | null = null;
  if (authorization) {
    const secret = parseBearer(authorization);
    if (!secret) throw unauthenticated('The Authorization header must be "Bearer <api key>"');
    principal = await services.apiKeys.authenticate(secret);
    if (!principal) throw unauthenticated('The API key is unknown or revoked');
  }
  return contextFor(services, principal, requestId);
}

/** The context for a principal that is already authenticated (a websocket after connection_init). */
export function contextFor(services: Services, principal: Principal | null, requestId: string = randomUUID()): LumenContext {
  return {
    requestId,
    principal,
    services,
    log: services.log.child({ requestId, keyId: principal?.keyId }),
    loaders: {
      logContent: services.logQuery.contentLoader(),
      log: services.logQuery.loader(),
      feedbackForLog: services.feedback.forLogsLoader(),
      alertRule: new DataLoader(async (ids) => {
        const rules = await services.alerts.rules.byIds(ids);
        return ids.map((id) => rules.get(id) ?? null);
      }),
      alertDeliveries: services.alerts.records.deliveriesLoader(),
    },
  };
}

/** A client may send its own request id (x-request-id) to correlate logs, if it is short and plain. */
export function requestIdFrom(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : undefined;
}

/** `@Authorized(ApiKeyRole.READ)` admits READ and ADMIN keys; ADMIN passes every check. */
export const authChecker: AuthChecker<LumenContext, ApiKeyRole> = ({ context }, roles) => requireRole(context, roles);

/** The same check where a decorator cannot make it (a subscription's subscribe function). */
export function requireRole(context: LumenContext, roles: readonly ApiKeyRole[]): true {
  const principal = context.principal;
  if (!principal) throw unauthenticated();
  if (principal.role === ApiKeyRole.ADMIN || roles.length === 0 || roles.includes(principal.role)) return true;
  const below = roles.filter((role) => role !== ApiKeyRole.ADMIN);
  throw forbidden(`This needs ${below.length > 0 ? `a key with role ${below.join(' or ')} (or ADMIN)` : 'an ADMIN key'}; this key has role ${principal.role}`);
}

/** The principal of a resolver guarded by @Authorized. */
export function principalOf(context: LumenContext): Principal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
