import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import { contextFor, requestIdFrom, type LumenContext } from '../graphql/context.js';
import { ErrorCode } from '../graphql/errors.js';
import { errorsPlugin, maskError } from '../graphql/errors-plugin.js';
import { apolloProtection } from '../graphql/limits.js';
import { textInputPlugin } from '../graphql/text-input-guard.js';
import { startGraphqlWebsocket } from '../graphql/websocket.js';
import { logBatchPrecheckPlugin } from '../logs/log-batch.precheck.js';
import { otlpRouter } from '../otlp/otlp.route.js';
import { rateLimitPlugin } from '../ratelimit/rate-limit.plugin.js';
import type { Services } from '../services.js';
import { principalOf, requireApiKey } from './api-key-guard.js';
import { bodyIdleTimeout } from './body-timeout.js';
import { graphqlDocumentLimit } from './graphql-document-limit.js';
import { serveHealth } from './health.js';
import { securityHeaders } from './security-headers.js';
import { DEFAULT_WEB_DIST, serveWeb } from './static-web.js';

export interface HttpServer {
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes sockets. */
  close(): Promise<void>;
}

export async function startHttpServer(services: Services, schema: GraphQLSchema): Promise<HttpServer> {
  const { config, log } = services;
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

  const websocket = startGraphqlWebsocket(httpServer, services, schema);
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
      logBatchPrecheckPlugin(config.limits.ingestMaxBatch),
      rateLimitPlugin(services.rateLimiter),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceSeconds * 1000 }),
      { async serverWillStart() { return { async drainServer() { await websocket.dispose(); } }; } },
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  serveHealth(app, services.sql, log);
  app.use(otlpRouter(services));
  app.use(
    '/graphql',
    // Every operation needs a key; only the (development) landing page, a GET without a query, does not.
    requireApiKey(services.apiKeys, graphqlRefusal, (request) => request.method !== 'GET' || request.query.query !== undefined),
    express.json({ limit: config.limits.maxBodyBytes }),
    graphqlDocumentLimit(config.graphql.maxDocumentBytes),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => contextFor(services, principalOf(res), requestIdFrom(req.headers['x-request-id'])),
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
      errors: [{ message: `Request body is larger than the limit of ${limit} bytes (MAX_BODY_BYTES)`, extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE } }],
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
