import { createHash } from 'node:crypto';
import { badInput } from './errors';
import type { SubgraphContext } from './subgraph';

/** What a Prisma client or interactive-transaction client offers for raw SQL. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export interface WriteSpec {
  /** Mutation name, e.g. "recordDisbursement". */
  operation: string;
  /** Entity type written, e.g. "Loan". */
  entity: string;
  /** Client-chosen key: the same key and request are applied once. */
  idempotencyKey: string;
  /** The request's input, to detect a key reused for a different request. */
  input: unknown;
}

export interface AppliedWrite {
  entityId: string;
  before: unknown;
  after: unknown;
}

/** JSON that keeps bigint (money) exact and dates readable. */
export function auditJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;

/** A Prisma client: what opens an interactive transaction. */
export interface Transactional {
  $transaction(...args: never[]): unknown;
}

/** The interactive-transaction client of a Prisma client (its `Prisma.TransactionClient`). */
export type TransactionClient<C> = C extends { $transaction(fn: (tx: infer TX) => Promise<unknown>, ...options: never[]): unknown } ? TX : never;

/**
 * Runs a ministry write exactly once per idempotency key, in one interactive transaction of the
 * subgraph's Prisma client with its audit record: validation errors thrown by `apply` roll
 * everything back; a retry with the same key and input returns the record as it is now without
 * applying anything again; the same key with a different input is refused.
 */
export async function idempotentWrite<C extends Transactional, R>(
  context: SubgraphContext<C, unknown>,
  spec: WriteSpec,
  apply: (tx: TransactionClient<C>) => Promise<AppliedWrite>,
  load: (tx: TransactionClient<C>, entityId: string) => Promise<R>,
): Promise<R> {
  type TX = TransactionClient<C> & RawSql;
  const transaction = <T>(fn: (tx: TX) => Promise<T>) => (context.prisma.$transaction as (fn: (tx: TX) => Promise<T>) => Promise<T>).call(context.prisma, fn);
  if (!KEY.test(spec.idempotencyKey)) {
    throw badInput(
      'idempotencyKey must be 8-200 characters of letters, digits, ".", "_", ":" or "-" (a UUID works); reuse it when retrying the same request.',
      { argument: 'idempotencyKey' },
    );
  }
  const requestHash = createHash('sha256')
    .update(auditJson([spec.operation, spec.input]))
    .digest('hex');
  const replay = async (tx: TX): Promise<{ hit: boolean; result?: R }> => {
    const rows = await tx.$queryRawUnsafe<{ operation: string; request_hash: string; entity_id: string }[]>(
      'SELECT operation, request_hash, entity_id FROM "_kopdes_idempotency" WHERE key = $1',
      spec.idempotencyKey,
    );
    const previous = rows[0];
    if (!previous) return { hit: false };
    if (previous.request_hash !== requestHash || previous.operation !== spec.operation) {
      throw badInput(
        `idempotencyKey "${spec.idempotencyKey}" was already used for a different request (${previous.operation}); use a new key for a new request.`,
        { argument: 'idempotencyKey' },
      );
    }
    return { hit: true, result: await load(tx, previous.entity_id) };
  };
  try {
    return await transaction(async (tx) => {
      const previous = await replay(tx);
      if (previous.hit) return previous.result as R;
      const written = await apply(tx);
      await tx.$executeRawUnsafe(
        'INSERT INTO "_kopdes_idempotency" (key, operation, request_hash, entity_id) VALUES ($1, $2, $3, $4)',
        spec.idempotencyKey,
        spec.operation,
        requestHash,
        written.entityId,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO "_kopdes_audit" (actor, ministry, operation, entity, entity_id, before, after, idempotency_key, request_id)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)`,
        context.caller.subject,
        context.caller.ministry ?? null,
        spec.operation,
        spec.entity,
        written.entityId,
        auditJson(written.before),
        auditJson(written.after),
        spec.idempotencyKey,
        context.requestId,
      );
      return load(tx, written.entityId);
    });
  } catch (error) {
    // Two identical requests racing: the loser's insert hits the key; answer as a replay.
    if (isUniqueViolation(error)) {
      const previous = await transaction(replay);
      if (previous.hit) return previous.result as R;
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? '');
  return (error as { code?: string })?.code === 'P2002' || /_kopdes_idempotency_pkey|duplicate key/.test(text);
}

export interface AuditEntry {
  at: Date;
  actor: string;
  ministry: string | null;
  operation: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  idempotencyKey: string;
  requestId: string | null;
}

/** The audit trail of one record, newest first. */
export async function auditTrail(db: RawSql, entity: string, entityId: string, limit = 100): Promise<AuditEntry[]> {
  return db.$queryRawUnsafe<AuditEntry[]>(
    `SELECT at, actor, ministry, operation, entity, entity_id AS "entityId", before, after, idempotency_key AS "idempotencyKey", request_id AS "requestId"
       FROM "_kopdes_audit" WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3::int`,
    entity,
    entityId,
    limit,
  );
}

/** The description every mutation's idempotencyKey argument carries. */
export const IDEMPOTENCY_KEY = { description: 'Any unique string (a UUID works); retrying with the same key applies the write once.' };
