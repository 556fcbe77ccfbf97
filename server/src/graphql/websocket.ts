import { execute, GraphQLError, subscribe, type GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { parseBearer } from '../auth/api-key.secret.js';
import type { Principal } from '../auth/api-key.service.js';
import type { Services } from '../services.js';
import { contextFor, requestIdFrom } from './context.js';
import { ErrorCode } from './errors.js';
import { maskError } from './errors-plugin.js';

type ConnectionParams = { authorization?: unknown } | undefined;
type WsExtra = Extra & { principal?: Principal };

// Close codes in the 4000 range are the application's; graphql-ws itself uses 4400-4499 for protocol errors.
export const WS_UNAUTHORIZED = 4401;

/**
 * graphql-ws on the same /graphql path. A client authenticates once, in connection_init, with
 * `{ authorization: "Bearer <api key>" }`; the socket is closed with 4401 when the key is missing,
 * unknown or revoked.
 */
export function graphqlWsOptions(services: Services, schema: GraphQLSchema): ServerOptions<ConnectionParams, WsExtra> {
  return {
    schema,
    execute,
    subscribe,
    connectionInitWaitTimeout: 10_000,
    async onConnect(ctx) {
      const raw = ctx.connectionParams?.authorization;
      const secret = typeof raw === 'string' ? parseBearer(raw) : undefined;
      const principal = secret ? await services.apiKeys.authenticate(secret) : null;
      if (!principal) {
        ctx.extra.socket.close(WS_UNAUTHORIZED, secret ? 'Unauthorized: unknown or revoked API key' : 'Unauthorized: send { authorization: "Bearer <api key>" }');
        return false;
      }
      ctx.extra.principal = principal;
      return true;
    },
    context(ctx) {
      return contextFor(services, ctx.extra.principal ?? null, requestIdFrom(ctx.extra.request.headers['x-request-id']));
    },
    onError(_ctx, id, _payload, errors) {
      return errors.map((error) => {
        const masked = maskError(error.toJSON());
        if (masked.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) services.log.error({ err: error, operationId: id }, 'websocket operation failed');
        return new GraphQLError(masked.message, { extensions: masked.extensions });
      });
    },
  };
}
