import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type LabourDb = PrismaClient;

export function createLabourClient(adapter: DriverAdapter): LabourDb {
  return new PrismaClient({ adapter });
}
