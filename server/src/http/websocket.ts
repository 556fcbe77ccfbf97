import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';

import type { Config } from '../config.js';
import { requestIdFrom, type LumenContext, type LumenPrincipal } from '../graphql/context.js';
import { ErrorCode } from '../graphql/errors.js';
import { checkTextInput } from '../graphql/text-input-guard.js';
import { maskOperationErrors } from './errors-plugin.js';
import { documentTooLarge } from './graphql-document-limit.js';
import { websocketRules } from './limits.js';
import { SharedSubscriptions } from './ws-shared-subscriptions.js';
import { serveGraphqlWs } from './ws-transport.js';

type ConnectionParams = { authorization?: unknown } | undefined;
type WsExtra = Extra & { principal?: LumenPrincipal };

// Close codes in the 4000 range are the application's; graphql-ws itself uses 4400-4499 for protocol errors.
export const WS_UNAUTHORIZED = 4401;
export const WS_KEY_REVOKED = 4403;
const REVOCATION_SWEEP_MS = 5_000;

/** What the websocket asks of the features: who a socket is, whether an operation may run, and its context. */
export interface WebsocketAccess {
  /** The principal of connection_init's `authorization` value, or the reason the socket is refused. */
  authenticate(authorization: unknown): Promise<LumenPrincipal | string>;
  /**
   * What an operation's events depend on besides its document and variables (e.g. the principal's role)
   * when they are the same for every subscriber with that, so that they are executed once per event for
   * all of them (ws-shared-subscriptions.ts); null when each subscriber's events must be executed alone.
   */
  shareScope(operation: OperationDefinitionNode, principal: LumenPrincipal): string | null;
  /** The ids among these whose keys are still active. */
  activeKeyIds(keyIds: string[]): Promise<Set<string>>;
  /** Null lets the operation run; an error refuses it (a rate limit, weighed by what the operation carries). */
  admit(
    operation: OperationDefinitionNode,
    principal: LumenPrincipal,
    variables: Record<string, unknown> | undefined,
  ): Promise<GraphQLError | null>;
  /** The context of one operation; the root may attach what it checked of the operation's input. */
  context(
    principal: LumenPrincipal | null,
    requestId: string | undefined,
    operation: OperationDefinitionNode | null,
    variables: Record<string, unknown> | undefined,
  ): LumenContext;
}

export interface GraphqlWebsocket {
  /** Closes every socket and stops the revocation sweep. */
  dispose(): Promise<void>;
}

/**
 * graphql-ws on the same /graphql path as HTTP. A client authenticates once, in connection_init, with
 * `{ authorization: "Bearer <api key>" }`; the socket is closed with 4401 when the key is missing,
 * unknown or revoked, and with 4403 within seconds of the key being revoked later. Operations get the
 * same shape limits as HTTP; a connection may hold WS_MAX_SUBSCRIPTIONS subscriptions; a subscriber
 * that does not read its messages is disconnected before its backlog passes WS_MAX_BUFFERED_BYTES.
 */
export function startGraphqlWebsocket(
  httpServer: Server,
  schema: GraphQLSchema,
  access: WebsocketAccess,
  config: Config,
  log: Logger,
): GraphqlWebsocket {
  const { websocket: limits, graphql: graphqlLimits, env } = config;
  const production = env === 'production';
  // No permessage-deflate: compressing each small `next` message per socket would cost more CPU than
  // the bytes it saves, and a shared message could not be compressed once for all sockets.
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: limits.maxMessageBytes,
    perMessageDeflate: false,
  });
  const principals = new WeakMap<WebSocket, LumenPrincipal>();
  const rules: ValidationRule[] = [
    ...specifiedRules,
    ...websocketRules(graphqlLimits, env === 'production'),
    ...(graphqlLimits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];

  const maskResult = (result: ExecutionResult, contextValue: unknown): ExecutionResult =>
    result.errors?.length
      ? { ...result, errors: maskOperationErrors(result.errors, contextValue as LumenContext, production) as never }
      : result;
  const shared = new SharedSubscriptions(maskResult, limits.maxBufferedBytes, log.child({ feature: 'websocket' }));

  const options: ServerOptions<ConnectionParams, WsExtra> = {
    schema,
    execute,
    subscribe,
    connectionInitWaitTimeout: limits.initTimeoutMs,
    async onConnect(ctx) {
      const principal = await access.authenticate(ctx.connectionParams?.authorization);
      if (typeof principal === 'string') {
        ctx.extra.socket.close(WS_UNAUTHORIZED, principal);
        return false;
      }
      ctx.extra.principal = principal;
      principals.set(ctx.extra.socket, principal);
      return true;
    },
    // Parsing and validation happen here rather than in graphql-ws, which treats a syntax error as an
    // internal failure and closes the socket; here a bad operation fails alone, as over HTTP.
    async onSubscribe(ctx, _id, payload) {
      // The new operation is already counted in ctx.subscriptions.
      if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptions) {
        return [
          new GraphQLError(`At most ${limits.maxSubscriptions} operations may run on one connection (WS_MAX_SUBSCRIPTIONS)`, {
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          }),
        ];
      }
      if (documentTooLarge(payload.query, graphqlLimits.maxDocumentBytes)) {
        return [
          new GraphQLError(
            `The GraphQL document is larger than the limit of ${graphqlLimits.maxDocumentBytes} bytes (GRAPHQL_MAX_DOCUMENT_BYTES); send data in variables`,
            { extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE } },
          ),
        ];
      }
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: graphqlLimits.maxTokens });
      } catch (error) {
        if (error instanceof GraphQLError) return [new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        throw error;
      }
      const errors = validateOperation(schema, document, rules);
      if (errors.length > 0) return errors;
      const operation = getOperationAST(document, payload.operationName);
      if (operation) {
        try {
          checkTextInput(schema, document, operation, payload.variables ?? undefined);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      }
      if (operation && ctx.extra.principal) {
        const refusal = await access.admit(operation, ctx.extra.principal, payload.variables ?? undefined);
        if (refusal) return [refusal];
      }
      const contextValue = access.context(
        ctx.extra.principal ?? null,
        requestIdFrom(ctx.extra.request.headers['x-request-id']),
        operation ?? null,
        payload.variables ?? undefined,
      );
      return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
    },
    // A subscription whose events are the same for a group of subscribers is handed to `shared`, which
    // executes it once per event for the group and writes the same message to every socket.
    onOperation(ctx, id, payload, args, result) {
      const principal = ctx.extra.principal;
      if (!principal || !isAsyncIterable(result)) return undefined;
      const operation = getOperationAST(args.document, args.operationName);
      const scope = operation?.operation === 'subscription' ? access.shareScope(operation, principal) : null;
      if (scope === null) return undefined;
      const key = JSON.stringify([scope, payload.query, payload.operationName ?? null, sortedKeys(payload.variables ?? {})]);
      return shared.join(key, result, args.contextValue, ctx.extra.socket, id);
    },
    onNext(ctx, _id, _payload, args, result) {
      if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) {
        log.warn(
          { keyId: ctx.extra.principal?.keyId, buffered: ctx.extra.socket.bufferedAmount },
          'websocket subscriber too slow: disconnected',
        );
        ctx.extra.socket.terminate();
      }
      if (!('errors' in result) || !result.errors?.length) return undefined;
      return maskResult(result, args.contextValue);
    },
    onError(ctx, id, _payload, errors) {
      const context = { requestId: randomUUID(), log: log.child({ keyId: ctx.extra.principal?.keyId, operationId: id }) };
      context.log = context.log.child({ requestId: context.requestId });
      return maskOperationErrors(errors, context, production).map(
        (masked) => new GraphQLError(masked.message, { extensions: masked.extensions }),
      );
    },
  };
  const server = serveGraphqlWs(options, wsServer, log.child({ feature: 'websocket' }));

  const sweep = setInterval(() => {
    void closeRevoked(wsServer, principals, access).catch((error: unknown) =>
      log.warn({ err: error }, 'websocket revocation sweep failed'),
    );
  }, REVOCATION_SWEEP_MS);
  sweep.unref();

  return {
    async dispose() {
      clearInterval(sweep);
      await server.dispose();
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/** The variables with every object's keys in order, so that the same values make the same group key. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

function validateOperation(schema: GraphQLSchema, document: DocumentNode, rules: ValidationRule[]): readonly GraphQLError[] {
  try {
    return validate(schema, document, rules).map(
      (error) => new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    );
  } catch (error) {
    // graphql-armor's rules throw their refusal (Apollo reports it as a validation error too).
    if (error instanceof GraphQLError) return [new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })];
    throw error;
  }
}

async function closeRevoked(
  wsServer: WebSocketServer,
  principals: WeakMap<WebSocket, LumenPrincipal>,
  access: WebsocketAccess,
): Promise<void> {
  const open = [...wsServer.clients].filter((socket) => principals.has(socket));
  if (open.length === 0) return;
  const active = await access.activeKeyIds([...new Set(open.map((socket) => principals.get(socket)!.keyId))]);
  for (const socket of open) {
    if (!active.has(principals.get(socket)!.keyId)) socket.close(WS_KEY_REVOKED, 'API key revoked');
  }
}
