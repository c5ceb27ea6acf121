import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type DigitalDb = PrismaClient;

export function createDigitalClient(adapter: DriverAdapter): DigitalDb {
  return new PrismaClient({ adapter });
}
