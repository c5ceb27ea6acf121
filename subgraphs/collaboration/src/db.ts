import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter } from '@kopdes/kit';

export type CollaborationDb = PrismaClient;

export function createCollaborationClient(adapter: DriverAdapter): CollaborationDb {
  return new PrismaClient({ adapter });
}
