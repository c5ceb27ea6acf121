import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter, TransactionClient } from '@kopdes/kit';

export type VillagesDb = PrismaClient;

export function createVillagesClient(adapter: DriverAdapter): VillagesDb {
  return new PrismaClient({ adapter });
}

/** The client inside a write's transaction (the kit's idempotentWrite opens it). */
export type Tx = TransactionClient<VillagesDb>;
