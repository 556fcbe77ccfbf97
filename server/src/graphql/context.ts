import type { Logger } from 'pino';

/*
 * The services, loaders and principal of a request belong to the features. This shared file only
 * declares their slots; the composition root (app/context.ts) fills them by module augmentation, so
 * resolvers see the features' types here while graphql/ imports no feature.
 */

/** The services of the running Lumen (app/services.ts). */
export interface LumenServices {}

/** Per-request DataLoaders, which batch the lookups of one operation. */
export interface LumenLoaders {}

/** Who sent the request: the owner of its API key. */
export interface LumenPrincipal {
  keyId: string;
}

export interface LumenContext {
  requestId: string;
  /** The API key's owner; null when the request carried no key. */
  principal: LumenPrincipal | null;
  services: LumenServices;
  log: Logger;
  /** Problems of ingestLogs items found before execution, by index (logs/log-batch.precheck.ts). */
  logProblems?: ReadonlyMap<number, { field: string; message: string }[]> | null;
  /** ingestLogs items already coerced field by field over HTTP; the resolver takes these instead of its argument. */
  preparedLogs?: Record<string, unknown>[] | null;
  loaders: LumenLoaders;
}

/** A client may send its own request id (x-request-id) to correlate logs, if it is short and plain. */
export function requestIdFrom(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : undefined;
}
