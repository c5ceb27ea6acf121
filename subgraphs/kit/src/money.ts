import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLISODateTime } from 'type-graphql';

const WHOLE = /^-?\d+$/;

/**
 * Whole rupiah, exact. Serialised as a decimal string because GraphQL Int is 32-bit
 * (Rp 3 billion overflows it) and Float loses exactness.
 */
export const Rupiah = new GraphQLScalarType<bigint, string>({
  name: 'Rupiah',
  description: 'An exact amount in whole rupiah, serialised as a decimal string, e.g. "3000000000".',
  serialize(value) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string' && WHOLE.test(value)) return value;
    if (value && typeof value === 'object' && 'toFixed' in value) return (value as { toFixed(d: number): string }).toFixed(0);
    throw new TypeError(`Rupiah cannot represent ${String(value)}`);
  },
  parseValue(value) {
    return parseRupiah(value);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseRupiah(ast.value);
    throw new TypeError('Rupiah must be a whole number of rupiah written as a string, e.g. "500000000".');
  },
});

function parseRupiah(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && WHOLE.test(value.trim())) return BigInt(value.trim());
  throw new TypeError(`Rupiah must be a whole number of rupiah written as a string, e.g. "500000000"; got ${JSON.stringify(value)}.`);
}

/**
 * The custom scalars subgraphs take as input, with their parsing rules: the gateway checks variables
 * and literals of these types itself, so a malformed value is refused before any subgraph runs.
 */
export const INPUT_SCALARS: readonly GraphQLScalarType[] = [Rupiah, GraphQLISODateTime];
