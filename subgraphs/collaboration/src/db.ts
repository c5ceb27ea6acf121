import { PrismaClient } from './generated/prisma/client';
import type { DriverAdapter, TransactionClient } from '@kopdes/kit';

/**
 * Who revised a target is personal data: no query reads the column unless it asks for it, and
 * only commitment.personal.ts does, on the access record.
 */
export function createCollaborationClient(adapter: DriverAdapter) {
  return new PrismaClient({ adapter, omit: { commitmentRevision: { revisedBy: true } } });
}

export type CollaborationDb = ReturnType<typeof createCollaborationClient>;

/** The client inside a write's transaction (the kit's idempotentWrite opens it). */
export type Tx = TransactionClient<CollaborationDb>;
