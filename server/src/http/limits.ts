import { ApolloArmor } from '@escape.tech/graphql-armor';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ValidationRule } from 'graphql';

import type { GraphqlLimits } from '../config.js';
import { costLimitRule } from './cost-limit.js';

/**
 * Limits on the shape of a GraphQL operation: depth, aliases and directives (graphql-armor), cost
 * (graphql/cost-limit.ts: armor's counts a page size only when written as a literal) and tokens. HTTP gets them through Apollo; websocket operations through `websocketRules` with the
 * same settings, so neither transport is the weaker one.
 */
export function armorConfig(limits: GraphqlLimits, production: boolean) {
  const report = { exposeLimits: true };
  return {
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...report },
    costLimit: { enabled: false },
    maxAliases: { n: limits.maxAliases, ...report },
    maxDirectives: { n: limits.maxDirectives, ...report },
    // Tokens are limited by the parser itself (Apollo's parseOptions, graphql-ws's parse), which
    // refuses with a parse error (HTTP 400); armor's plugin for it answers 500.
    maxTokens: { enabled: false },
    // "Did you mean …?" hints describe the schema to whoever probes it.
    blockFieldSuggestion: { enabled: production },
  };
}

export function apolloProtection(limits: GraphqlLimits, production: boolean) {
  const armor = new ApolloArmor(armorConfig(limits, production)).protect();
  return { plugins: armor.plugins, validationRules: [...armor.validationRules, costLimitRule(limits.maxCost)] };
}

export function websocketRules(limits: GraphqlLimits, production: boolean): ValidationRule[] {
  const config = armorConfig(limits, production);
  return [
    maxDepthRule(config.maxDepth),
    costLimitRule(limits.maxCost),
    maxAliasesRule(config.maxAliases),
    maxDirectivesRule(config.maxDirectives),
  ];
}
