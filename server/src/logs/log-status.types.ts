import { GraphQLScalarType, Kind } from 'graphql';
import { registerEnumType } from 'type-graphql';

export enum LogStatus {
  SUCCESS = 'SUCCESS',
  ERROR = 'ERROR',
}

registerEnumType(LogStatus, { name: 'LogStatus', description: 'Whether the model call succeeded.' });

export const LOG_STATUSES = Object.values(LogStatus) as string[];

/**
 * `LogInput.status` accepts the enum literal (`status: ERROR`) and a string (`"ERROR"`) but does not reject
 * unknown values itself: ingestion validates each item so that one bad item is reported by its index while
 * the rest of the batch is stored, instead of GraphQL refusing the whole request.
 */
export const LogStatusInputScalar = new GraphQLScalarType<string, string>({
  name: 'LogStatusInput',
  description: 'SUCCESS or ERROR, as an enum literal or a string. Unknown values reject only their own item.',
  serialize: (value) => String(value),
  parseValue: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
  parseLiteral: (ast) => (ast.kind === Kind.ENUM || ast.kind === Kind.STRING ? ast.value : String(ast.kind)),
});
