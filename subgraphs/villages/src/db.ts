import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type VillagesDb = PrismaClient;

export function createVillagesClient(adapter: DriverAdapter): VillagesDb {
  return new PrismaClient({ adapter });
}
