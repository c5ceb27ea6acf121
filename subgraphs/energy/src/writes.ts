import type { EnergyDb } from './db';
import type { Prisma } from './generated/prisma/client';

export type Tx = Prisma.TransactionClient;

// Date rules and the idempotency-key description are the kit's, shared by every ministry.
export { checkNotInFuture, IDEMPOTENCY_KEY as IDEMPOTENCY, isoDay, latestPossibleDay, parseDate } from '@kopdes/kit';

/** Every ESDM write runs in one interactive transaction with its idempotency and audit records. */
export function transaction(prisma: EnergyDb) {
  return <T>(fn: (tx: Tx) => Promise<T>) => prisma.$transaction(fn);
}
