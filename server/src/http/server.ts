import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Response, type Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';

import type { Config } from '../config.js';
import type { Sql } from '../db/sql.js';
import { requestIdFrom, type LumenContext, type LumenPrincipal } from '../graphql/context.js';
import { ErrorCode } from '../graphql/errors.js';
import { textInputPlugin } from '../graphql/text-input-guard.js';
import { principalOf, requireApiKey, type Authenticate } from './api-key-guard.js';
import { bodyIdleTimeout } from './body-timeout.js';
import { errorsPlugin, maskError } from './errors-plugin.js';
import { graphqlDocumentLimit } from './graphql-document-limit.js';
import { serveHealth } from './health.js';
import { apolloProtection } from './limits.js';
import { securityHeaders } from './security-headers.js';
import { DEFAULT_WEB_DIST, serveWeb } from './static-web.js';
import { startGraphqlWebsocket, type WebsocketAccess } from './websocket.js';

/** What the server is given by the composition root: it knows the transports, not the features. */
export interface HttpServerOptions {
  config: Config;
  log: Logger;
  schema: GraphQLSchema;
  /** The database that /healthz checks. */
  sql: Sql;
  /** The owner of an Authorization header's key, or null; checked before a request's body is read. */
  authenticate: Authenticate;
  /** The context of one GraphQL request over HTTP, for the principal its key belongs to. */
  context(principal: LumenPrincipal | null, requestId: string | undefined): LumenContext;
  websocket: WebsocketAccess;
  /** Routes outside GraphQL (OTLP), mounted before /graphql. */
  routers: Router[];
  /** Apollo plugins run on every GraphQL request (item checks, rate limits), after error logging. */
  plugins: ApolloServerPlugin<LumenContext>[];
}

export interface HttpServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes sockets. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { config, log, schema } = options;
  const production = config.env === 'production';
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(
    // Node checks the headers and request timeouts on this interval (30 s by default).
    { headersTimeout: config.http.headersTimeoutMs, requestTimeout: config.http.requestTimeoutMs, connectionsCheckingInterval: 1_000 },
    app,
  );
  app.use(bodyIdleTimeout(config.http.bodyIdleTimeoutMs));
  // Apollo's development landing page runs inline scripts; it is off in production, where every answer gets the policy.
  if (production) app.use(securityHeaders());
  else app.use(/^\/(?!graphql)/, securityHeaders());

  const websocket = startGraphqlWebsocket(httpServer, schema, options.websocket, config, log);
  const armor = apolloProtection(config.graphql, production);
  const apollo = new ApolloServer<LumenContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: config.graphql.maxTokens },
    // main.ts owns the signals: it stops the whole server, not only Apollo.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskError(formatted, error, { hideSuggestions: production }),
    introspection: config.graphql.introspection,
    plugins: [
      // graphql-armor is typed against Apollo's CommonJS declarations; the objects are the same.
      ...(armor.plugins as unknown as ApolloServerPlugin<LumenContext>[]),
      errorsPlugin,
      textInputPlugin as ApolloServerPlugin<LumenContext>,
      ...options.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceSeconds * 1000 }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await websocket.dispose();
            },
          };
        },
      },
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  serveHealth(app, options.sql, log);
  for (const router of options.routers) app.use(router);
  app.use(
    '/graphql',
    // Every operation needs a key; only the (development) landing page, a GET without a query, does not.
    requireApiKey(options.authenticate, graphqlRefusal, (request) => request.method !== 'GET' || request.query.query !== undefined),
    express.json({ limit: config.limits.maxBodyBytes }),
    graphqlDocumentLimit(config.graphql.maxDocumentBytes),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => options.context(principalOf(res), requestIdFrom(req.headers['x-request-id'])),
    }),
  );
  serveWeb(app, config.webDistDir ?? DEFAULT_WEB_DIST, { sourceMaps: !production });
  app.use(bodyErrors);
  app.use(unexpectedErrors(log));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = config.publicUrl ?? `http://localhost:${port}`;

  return {
    url,
    port,
    async close() {
      await apollo.stop();
      await closeServer(httpServer);
    },
  };
}

function graphqlRefusal(response: Response, message: string): void {
  response.json({ errors: [{ message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
}

/** Body-parser failures answered in GraphQL's error shape, so clients can read them like any other. */
const bodyErrors: ErrorRequestHandler = (error, _request, response, next) => {
  if (response.headersSent) return next(error);
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    response.status(413).json({
      errors: [
        {
          message: `Request body is larger than the limit of ${limit} bytes (MAX_BODY_BYTES)`,
          extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE },
        },
      ],
    });
    return;
  }
  const status = (error as { status?: number }).status;
  if (type === 'entity.parse.failed' || status === 400) {
    response.status(400).json({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  next(error);
};

/** Anything else that reaches Express: JSON and one log line, never Express's HTML page and stack on stderr. */
function unexpectedErrors(log: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    log.error({ err: error, method: request.method, path: request.path.slice(0, 200) }, 'request failed');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
