import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiKeyResolver } from '../auth/api-key.resolver.js';
import { CostResolver } from '../costs/cost.resolver.js';
import { LogResolver } from '../logs/log.resolver.js';
import { authChecker } from './context.js';
import { DateTimeScalar } from './scalars.js';

export const resolvers = [ApiKeyResolver, LogResolver, CostResolver] as const;

export function buildLumenSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...resolvers],
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are validated where they are used (zod for the environment, services for GraphQL input).
    validate: false,
  });
}
