import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';

import { parseBearer } from '../auth/api-key.secret.js';
import type { Principal } from '../auth/api-key.service.js';
import type { LumenContext } from '../graphql/context.js';
import type { Services } from './services.js';

/** The DataLoaders of one operation: each batches the lookups its resolvers make per item. */
function loadersFor(services: Services) {
  return {
    logContent: services.logQuery.contentLoader(),
    log: services.logQuery.loader(),
    spanLog: services.logQuery.spanLoader(),
    feedbackForLog: services.feedback.forLogsLoader(),
    alertRule: new DataLoader(async (ids: readonly string[]) => {
      const rules = await services.alerts.rules.byIds(ids);
      return ids.map((id) => rules.get(id) ?? null);
    }),
    alertDeliveries: services.alerts.records.deliveriesLoader(),
    ruleChannels: services.alerts.channels.rulesLoader(),
    alertSilence: new DataLoader(async (ids: readonly string[]) => {
      const silences = await services.alerts.silences.byIds(ids);
      return ids.map((id) => silences.get(id) ?? null);
    }),
  };
}

type Loaders = ReturnType<typeof loadersFor>;

// Fills the context's slots (graphql/context.ts) with the features' types.
declare module '../graphql/context.js' {
  interface LumenServices extends Services {}
  interface LumenLoaders extends Loaders {}
  interface LumenPrincipal extends Principal {}
}

/**
 * The principal of a websocket's connection_init `authorization` value, or why the socket is refused.
 */
export async function authenticateSocket(services: Services, authorization: unknown): Promise<Principal | string> {
  const secret = typeof authorization === 'string' ? parseBearer(authorization) : undefined;
  const principal = secret ? await services.apiKeys.authenticate(secret) : null;
  if (principal) return principal;
  return secret ? 'Unauthorized: unknown or revoked API key' : 'Unauthorized: send { authorization: "Bearer <api key>" }';
}

/** The context for a principal that is already authenticated (a websocket after connection_init). */
export function contextFor(services: Services, principal: Principal | null, requestId: string = randomUUID()): LumenContext {
  return {
    requestId,
    principal,
    services,
    log: services.log.child({ requestId, keyId: principal?.keyId }),
    loaders: loadersFor(services),
  };
}
