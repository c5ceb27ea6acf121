import { GraphQLError } from 'graphql';

/** Errors a client can act on: a code and a message that says what to fix. */
export function badInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extra } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Broken business rule: the code says which rule, the message how to comply. */
export function ruleViolation(rule: string, message: string): GraphQLError {
  return badInput(message, { rule });
}

interface PrismaLikeError {
  code?: string;
  meta?: Record<string, unknown>;
  name?: string;
}

/**
 * Maps database errors to coded GraphQL errors in one place. Known client mistakes
 * (unique or foreign-key violations) become BAD_USER_INPUT; everything else stays an
 * internal error that the gateway masks.
 */
export function mapDatabaseError(error: unknown): GraphQLError | undefined {
  const e = error as PrismaLikeError;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return undefined;
  switch (e.code) {
    case 'P2002':
      return badInput(`A record with the same ${String(e.meta?.target ?? 'key')} already exists.`);
    case 'P2003':
      return badInput(`A referenced record does not exist (${String(e.meta?.field_name ?? 'foreign key')}).`);
    case 'P2025':
      return notFound('The record to change does not exist.');
    default:
      return undefined;
  }
}
