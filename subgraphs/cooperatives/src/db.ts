import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter, TransactionClient } from '@kopdes/kit';

/**
 * Board members are personal data: no query reads the column unless it asks for it, and only
 * cooperative.personal.ts does, on the access record.
 */
export function createCooperativesClient(adapter: DriverAdapter) {
  return new PrismaClient({ adapter, omit: { cooperative: { board: true } } });
}

export type CooperativesDb = ReturnType<typeof createCooperativesClient>;

/** The client inside a write's transaction (the kit's idempotentWrite opens it). */
export type Tx = TransactionClient<CooperativesDb>;
