import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type EnergyDb = PrismaClient;

export function createEnergyClient(adapter: DriverAdapter): EnergyDb {
  return new PrismaClient({ adapter });
}
