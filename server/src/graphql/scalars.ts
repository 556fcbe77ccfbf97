import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';

export { GraphQLDateTime as DateTimeScalar, GraphQLJSONObject as JSONObjectScalar };

const DECIMAL_PATTERN = /^-?\d{1,18}(\.\d{1,10})?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' ? numberToPlainString(value) : value;
  if (typeof text !== 'string' || !DECIMAL_PATTERN.test(text.trim())) {
    throw new GraphQLError(
      'Decimal must be a number or a decimal string such as "12.50" (at most 18 integer and 10 fraction digits, as stored)',
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return text.trim();
}

/** "0.0045000000" (NUMERIC(20,10) as PostgreSQL returns it) -> "0.0045"; "12.000" -> "12". */
export function normalizeDecimal(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // Avoid exponent notation ("1e-7") which the decimal pattern and PostgreSQL's NUMERIC input both read badly.
  return Math.abs(value) < 1e-6 && value !== 0 ? value.toFixed(10).replace(/0+$/, '') : String(value);
}

/**
 * Exact decimal numbers (money, prices, thresholds). Sent and returned as strings so that no client or
 * server step turns them into binary floating point; number literals are accepted on input.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, returned as a string (for example "0.0035"); input accepts a string or a number.',
  serialize: (value) => normalizeDecimal(typeof value === 'string' ? value : String(value)),
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    throw new GraphQLError('Decimal must be a number or a decimal string', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
