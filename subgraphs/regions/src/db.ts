import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type RegionsDb = PrismaClient;

export function createRegionsClient(adapter: DriverAdapter): RegionsDb {
  return new PrismaClient({ adapter });
}
