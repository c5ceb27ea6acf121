import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type FinancingDb = PrismaClient;

export function createFinancingClient(adapter: DriverAdapter): FinancingDb {
  return new PrismaClient({ adapter });
}
