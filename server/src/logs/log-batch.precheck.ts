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

/**
 * GraphQL coerces the `logs` variable of ingestLogs as a whole: one item with a float token count, a
 * count past 2^31 or a malformed timestamp would fail the request before the resolver runs, and the
 * valid logs beside it would be lost. This coerces each item's fields on their own first: a field
 * GraphQL would refuse is set to null (every LogInput field is nullable) and its problem kept by the
 * item's index, so that ingestion rejects that item alone. Literal (inline) batches are left to GraphQL.
 */
export function precheckLogBatch(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxBatch: number,
): PrecheckedProblems | null {
  const ingest = operation.selectionSet.selections.filter(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === 'ingestLogs',
  );
  if (operation.operation !== 'mutation' || ingest.length !== 1 || ingest[0]!.kind !== Kind.FIELD) return null;
  const argument = ingest[0]!.arguments?.find((arg) => arg.name.value === 'logs');
  if (argument?.value.kind !== Kind.VARIABLE) return null;
  const items = variables?.[argument.value.name.value];
  if (!Array.isArray(items) || items.length > maxBatch) return null;
  const logInput = schema.getType('LogInput');
  if (!isInputObjectType(logInput)) return null;

  const problems = new Map<number, LogProblem[]>();
  items.forEach((item: unknown, index) => {
    const found = precheckItem(items, index, item, logInput);
    if (found.length > 0) problems.set(index, found);
  });
  return problems.size > 0 ? problems : null;
}

function precheckItem(items: unknown[], index: number, item: unknown, type: GraphQLInputObjectType): LogProblem[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    items[index] = {};
    return [{ field: 'logs', message: 'each item must be a LogInput object' }];
  }
  const values = item as Record<string, unknown>;
  const fields = type.getFields();
  const problems: LogProblem[] = [];
  for (const key of Object.keys(values)) {
    const field = fields[key];
    if (!field) {
      delete values[key];
      problems.push({ field: key.slice(0, 64), message: 'is not a field of LogInput' });
      continue;
    }
    if (values[key] === null || values[key] === undefined) continue;
    let refused = false;
    coerceInputValue(values[key], field.type, () => {
      refused = true;
    });
    if (refused) {
      values[key] = null;
      problems.push({ field: key, message: messageFor(getNamedType(field.type).name) });
    }
  }
  return problems;
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

/** Runs the precheck for HTTP operations and leaves its findings in the context for ingestLogs. */
export function logBatchPrecheckPlugin(maxBatch: number): ApolloServerPlugin<LumenContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, request, contextValue }) {
          if (operation) contextValue.logProblems = precheckLogBatch(schema, operation, request.variables, maxBatch);
        },
      };
    },
  };
}
