import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  getNamedType,
  isInputObjectType,
  Kind,
  type GraphQLInputObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

import type { LumenContext } from '../graphql/context.js';
import type { LogProblem } from './log.validation.js';

/** Problems found before execution, by the item's position in the batch. */
export type PrecheckedProblems = ReadonlyMap<number, LogProblem[]>;

const MAX_INT = 2 ** 31 - 1;

/** A batch whose items were coerced field by field, with the problems of the fields GraphQL would refuse. */
export interface PreparedLogBatch {
  /** The variable that carried the batch. */
  variable: string;
  /** Each item with its fields coerced as GraphQL coerces them (refused fields null, unknown ones dropped). */
  logs: Record<string, unknown>[];
  problems: PrecheckedProblems | null;
}

/**
 * GraphQL coerces the `logs` variable of ingestLogs as a whole: one item with a float token count, a
 * count past 2^31 or a malformed timestamp would fail the request before the resolver runs, and the
 * valid logs beside it would be lost. This coerces each item's fields on their own first, with
 * GraphQL's own `coerceInputValue`: a field GraphQL would refuse is set to null (every LogInput field
 * is nullable) and its problem kept by the item's index, so that ingestion rejects that item alone.
 * The coerced items are kept, so that over HTTP the batch is coerced once, not twice (see the plugin).
 * Literal (inline) batches are left to GraphQL.
 */
export function prepareLogBatch(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxBatch: number,
): PreparedLogBatch | null {
  const ingest = operation.selectionSet.selections.filter(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === 'ingestLogs',
  );
  if (operation.operation !== 'mutation' || ingest.length !== 1 || ingest[0]!.kind !== Kind.FIELD) return null;
  const argument = ingest[0]!.arguments?.find((arg) => arg.name.value === 'logs');
  if (argument?.value.kind !== Kind.VARIABLE) return null;
  const variable = argument.value.name.value;
  const items = variables?.[variable];
  if (!Array.isArray(items) || items.length > maxBatch) return null;
  const logInput = schema.getType('LogInput');
  if (!isInputObjectType(logInput)) return null;

  const problems = new Map<number, LogProblem[]>();
  const logs = items.map((item: unknown, index) => {
    const { coerced, found } = prepareItem(items, index, item, logInput);
    if (found.length > 0) problems.set(index, found);
    return coerced;
  });
  return { variable, logs, problems: problems.size > 0 ? problems : null };
}

/** The problems only, leaving GraphQL to coerce the (repaired) batch: for operations over the websocket. */
export function precheckLogBatch(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxBatch: number,
): PrecheckedProblems | null {
  return prepareLogBatch(schema, operation, variables, maxBatch)?.problems ?? null;
}

function prepareItem(
  items: unknown[],
  index: number,
  item: unknown,
  type: GraphQLInputObjectType,
): { coerced: Record<string, unknown>; found: LogProblem[] } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    items[index] = {};
    return { coerced: {}, found: [{ field: 'logs', message: 'each item must be a LogInput object' }] };
  }
  const values = item as Record<string, unknown>;
  const fields = type.getFields();
  const coerced: Record<string, unknown> = {};
  const problems: LogProblem[] = [];
  for (const key of Object.keys(values)) {
    const field = fields[key];
    if (!field) {
      delete values[key];
      problems.push({ field: key.slice(0, 64), message: 'is not a field of LogInput' });
      continue;
    }
    const value = values[key];
    if (value === undefined) continue;
    if (value === null) {
      coerced[key] = null;
      continue;
    }
    let refused = false;
    const result = coerceInputValue(value, field.type, () => {
      refused = true;
    });
    if (refused) {
      values[key] = null;
      coerced[key] = null;
      problems.push({ field: key, message: messageFor(getNamedType(field.type).name) });
    } else coerced[key] = result;
  }
  return { coerced, found: problems };
}

function messageFor(typeName: string): string {
  switch (typeName) {
    case 'Int':
      return `must be a whole number from 0 to ${MAX_INT}`;
    case 'DateTime':
      return 'is not a valid date-time (ISO 8601 with a time zone, for example 2026-01-31T12:00:00Z)';
    case 'Decimal':
      return 'must be a number or a decimal string such as "12.50"';
    case 'JSONObject':
      return 'must be a JSON object';
    default:
      return `must be a ${typeName === 'String' ? 'string' : typeName}`;
  }
}

/**
 * Prepares ingestLogs batches sent over HTTP and leaves the coerced items and their problems in the
 * context. Coercing 500 logs costs GraphQL about as much as the rest of the request's server work
 * together, so once every hook has seen the request as sent, the variable is swapped for an empty list
 * and the resolver takes the prepared items: the batch is coerced once, with GraphQL's own rules.
 */
export function logBatchPrecheckPlugin(maxBatch: number): ApolloServerPlugin<LumenContext> {
  return {
    async requestDidStart() {
      let prepared: PreparedLogBatch | null = null;
      return {
        async didResolveOperation({ schema, operation, request, contextValue }) {
          prepared = operation ? prepareLogBatch(schema, operation, request.variables, maxBatch) : null;
          contextValue.logProblems = prepared?.problems ?? null;
          contextValue.preparedLogs = prepared?.logs ?? null;
        },
        async executionDidStart({ request }) {
          if (prepared) request.variables = { ...request.variables, [prepared.variable]: [] };
        },
      };
    },
  };
}
