import { createHash } from 'node:crypto';
import { badInput, ruleViolation } from './errors';
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

/**
 * Runs a ministry write exactly once per idempotency key, in one transaction with its
 * audit record: validation errors thrown by `apply` roll everything back; a retry with the
 * same key and input returns the record as it is now without applying anything again; the
 * same key with a different input is refused.
 */
export async function idempotentWrite<TX extends RawSql, R>(
  context: SubgraphContext<unknown, unknown>,
  transaction: <T>(fn: (tx: TX) => Promise<T>) => Promise<T>,
  spec: WriteSpec,
  apply: (tx: TX) => Promise<AppliedWrite>,
  load: (tx: TX, entityId: string) => Promise<R>,
): Promise<R> {
  if (!KEY.test(spec.idempotencyKey)) {
    throw badInput('idempotencyKey must be 8-200 characters of letters, digits, ".", "_", ":" or "-" (a UUID works); reuse it when retrying the same request.', { argument: 'idempotencyKey' });
  }
  const requestHash = createHash('sha256').update(auditJson([spec.operation, spec.input])).digest('hex');
  const replay = async (tx: TX): Promise<{ hit: boolean; result?: R }> => {
    const rows = await tx.$queryRawUnsafe<{ operation: string; request_hash: string; entity_id: string }[]>(
      'SELECT operation, request_hash, entity_id FROM "_kopdes_idempotency" WHERE key = $1', spec.idempotencyKey);
    const previous = rows[0];
    if (!previous) return { hit: false };
    if (previous.request_hash !== requestHash || previous.operation !== spec.operation) {
      throw badInput(`idempotencyKey "${spec.idempotencyKey}" was already used for a different request (${previous.operation}); use a new key for a new request.`, { argument: 'idempotencyKey' });
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
        spec.idempotencyKey, spec.operation, requestHash, written.entityId);
      await tx.$executeRawUnsafe(
        `INSERT INTO "_kopdes_audit" (actor, ministry, operation, entity, entity_id, before, after, idempotency_key, request_id)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)`,
        context.caller.subject, context.caller.ministry ?? null, spec.operation, spec.entity, written.entityId,
        auditJson(written.before), auditJson(written.after), spec.idempotencyKey, context.requestId);
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
       FROM "_kopdes_audit" WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3::int`, entity, entityId, limit);
}

/** The description every mutation's idempotencyKey argument carries. */
export const IDEMPOTENCY_KEY = { description: 'Any unique string (a UUID works); retrying with the same key applies the write once.' };

/** A calendar date written YYYY-MM-DD (a real day: no 2025-02-31), or a rule error naming the field. */
export function parseDate(value: string, field: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw ruleViolation(`${field}_format`, `${field} "${value}" is not a date; write YYYY-MM-DD.`);
  }
  return date;
}

/** Today as officers in Indonesia's easternmost zone (WIT, UTC+9) see it: no date after it has happened yet. */
export function latestPossibleDay(now = new Date()): Date {
  const east = new Date(now.getTime() + 9 * 3_600_000);
  return new Date(Date.UTC(east.getUTCFullYear(), east.getUTCMonth(), east.getUTCDate()));
}

export function checkNotInFuture(date: Date, field: string): void {
  if (date > latestPossibleDay()) {
    throw ruleViolation('date_not_in_future', `${field} ${date.toISOString().slice(0, 10)} is in the future; record it once it has happened.`);
  }
}

export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
