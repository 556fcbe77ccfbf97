import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInputObjectType,
  isListType,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

import { ErrorCode } from './errors.js';

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and an unpaired UTF-16 surrogate is not Unicode at all
 * (the driver would silently turn it into U+FFFD, jsonb refuses its escape). Such text in any argument
 * is refused here, before a resolver runs, as BAD_USER_INPUT naming the field: it is the client's
 * mistake, never an outage to retry.
 *
 * Input types listed in PER_ITEM_INPUTS are left alone: their items are checked one by one further in
 * (a bad log is rejected by index while the others of its batch are stored).
 */
const PER_ITEM_INPUTS: ReadonlySet<string> = new Set(['LogInput']);

export const UNSTORABLE_TEXT = 'must not contain NUL (U+0000) characters or unpaired UTF-16 surrogates';

/** Whether text can be stored as it is: no NUL and well-formed UTF-16. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** The path of the first string (or object key) in a JSON-like value that cannot be stored, or null. */
export function findUnstorableJson(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableJson(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return `${path}.${safeKey(key)}`;
    const found = findUnstorableJson(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Throws BAD_USER_INPUT (HTTP 400) when an argument of the operation holds text that cannot be stored. */
export function checkTextInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): void {
  const field = inVariables(schema, operation, variables ?? {}) ?? inLiterals(schema, document);
  if (field) {
    throw new GraphQLError(`${field}: ${UNSTORABLE_TEXT}`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, field, http: { status: 400 } },
    });
  }
}

function inVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): string | null {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type || variables[name] === undefined) continue;
    const found = inValue(variables[name], type, name, 0);
    if (found) return found;
  }
  return null;
}

function inValue(value: unknown, type: GraphQLInputType, path: string, depth: number): string | null {
  if (value === null || value === undefined || depth > 64) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return inValue(value, nullable.ofType as GraphQLInputType, path, depth + 1);
    for (let i = 0; i < value.length; i++) {
      const found = inValue(value[i], nullable.ofType as GraphQLInputType, `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    if (PER_ITEM_INPUTS.has(nullable.name) || typeof value !== 'object') return null;
    const fields = nullable.getFields();
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const fieldType = fields[key]?.type;
      if (!fieldType) continue;
      const found = inValue(item, fieldType, `${path}.${key}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  // Scalars and enums, including JSON ones: every string inside counts.
  return findUnstorableJson(value, path);
}

function inLiterals(schema: GraphQLSchema, document: DocumentNode): string | null {
  const typeInfo = new TypeInfo(schema);
  const names: string[] = [];
  let exempt = 0;
  let found: string | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
      ObjectField: { enter: (node) => void names.push(node.name.value), leave: () => void names.pop() },
      ObjectValue: {
        enter: () => {
          const type = typeInfo.getInputType();
          if (type && PER_ITEM_INPUTS.has(getNamedType(type).name)) exempt++;
        },
        leave: () => {
          const type = typeInfo.getInputType();
          if (type && PER_ITEM_INPUTS.has(getNamedType(type).name)) exempt--;
        },
      },
      StringValue(node) {
        if (found || exempt > 0 || isStorableText(node.value)) return;
        found = names.join('.') || 'query';
      },
    }),
  );
  return found;
}

function safeKey(key: string): string {
  return key.replaceAll('\u0000', '\\u0000').replace(/[\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** The same check for HTTP operations, once Apollo knows the operation. */
export const textInputPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request }) {
        if (operation) checkTextInput(schema, document, operation, request.variables);
      },
    };
  },
};
