import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';

import { AlertRecordResolver } from '../alerts/alert-record.resolver.js';
import { AlertRuleResolver } from '../alerts/alert-rule.resolver.js';
import { AlertSilenceResolver } from '../alerts/alert-silence.resolver.js';
import { AlertDeliveryResolver } from '../alerts/delivery/alert-delivery.resolver.js';
import { NotificationChannelResolver } from '../alerts/delivery/notification-channel.resolver.js';
import { ApiKeyResolver } from '../auth/api-key.resolver.js';
import { authChecker } from '../auth/role.guard.js';
import { CostResolver } from '../costs/cost.resolver.js';
import { FeedbackResolver } from '../feedback/feedback.resolver.js';
import { LogFeedbackResolver } from '../feedback/log-feedback.resolver.js';
import { createLumenPubSub, type LumenPubSub } from '../graphql/pubsub.js';
import { DateTimeScalar } from '../graphql/scalars.js';
import { LogResolver } from '../logs/log.resolver.js';
import { MetricsResolver } from '../metrics/metrics.resolver.js';
import { LogTraceResolver, SessionResolver, SpanResolver, TraceResolver } from '../traces/trace.resolver.js';

/** The committed schema at the repository's top level (from server/src/app or server/dist/app). */
export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../schema.graphql');

export const resolvers = [
  ApiKeyResolver,
  LogResolver,
  CostResolver,
  FeedbackResolver,
  LogFeedbackResolver,
  MetricsResolver,
  AlertRuleResolver,
  AlertRecordResolver,
  AlertDeliveryResolver,
  NotificationChannelResolver,
  AlertSilenceResolver,
  TraceResolver,
  SessionResolver,
  SpanResolver,
  LogTraceResolver,
] as const;

/** Subscriptions read `services.pubsub` from the context; `pubSub` matters to type-graphql's topic-based ones only. */
export function buildLumenSchema(pubSub: LumenPubSub = createLumenPubSub()): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...resolvers],
    pubSub,
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are validated where they are used (zod for the environment, services for GraphQL input).
    validate: false,
  });
}

/** The schema as committed in schema.graphql: sorted, so that the file changes only where the schema does. */
export async function printLumenSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildLumenSchema()))}\n`;
}
