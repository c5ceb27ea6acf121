import { PrismaClient, type Prisma } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type FinancingDb = PrismaClient;
export type FinancingTx = Prisma.TransactionClient;

export function createFinancingClient(adapter: DriverAdapter): FinancingDb {
  return new PrismaClient({ adapter });
}

/** An interactive transaction, the shape the kit's idempotentWrite runs a write in. */
export function transaction(prisma: FinancingDb) {
  return <T>(fn: (tx: FinancingTx) => Promise<T>) => prisma.$transaction(fn);
}
