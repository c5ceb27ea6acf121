import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type CooperativesDb = PrismaClient;

export function createCooperativesClient(adapter: DriverAdapter): CooperativesDb {
  return new PrismaClient({ adapter });
}
