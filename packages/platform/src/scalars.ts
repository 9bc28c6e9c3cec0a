import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const INTEGER = /^-?\d{1,30}$/;

function parseBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  throw new GraphQLError(
    `BigInt must be an integer given as a decimal string, got ${JSON.stringify(value)}`,
    {
      extensions: { code: 'BAD_USER_INPUT' },
    },
  );
}

/**
 * Integer amounts (minor units) as decimal strings on the wire, `bigint` inside: money never
 * passes through a JS float.
 */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description: 'An integer (money in minor units), serialised as a decimal string, e.g. "250000000".',
  serialize: (value) => parseBigInt(value).toString(),
  parseValue: (value) => parseBigInt(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseBigInt(ast.value);
    throw new GraphQLError('BigInt must be a string or integer literal', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  },
});
