import { type Database, keyLoader, keyLookup, listLoader, rowLoader, type SubgraphContext } from '@kopdes/kit';
import type { CollaborationDb } from './db';
import { type Agency, Prisma } from './generated/prisma/client';

/** Behind `_entities` for Agency: one counted statement by primary key per batch (keyLoader). */
const AGENCY_BY_CODE = keyLookup<Agency>('Agency', 'code', Object.values(Prisma.AgencyScalarFieldEnum));

const ORDER = [{ dueDate: 'asc' as const }, { id: 'asc' as const }];

/** Per-request loaders: agencies, commitments and revisions each batch into one statement. */
export function createCollaborationLoaders(db: CollaborationDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    agency: keyLoader(database, AGENCY_BY_CODE),
    // Commitments and revisions through Prisma: their targets and baselines are Decimal, which a counted read does not serve.
    commitment: rowLoader(
      (ids: readonly string[]) => db.commitment.findMany({ where: { id: { in: [...ids] } } }),
      (c) => c.id,
    ),
    commitmentsOfProvince: listLoader(
      (codes: readonly string[]) => db.commitment.findMany({ where: { provinceCode: { in: [...codes] } }, orderBy: ORDER }),
      (c) => c.provinceCode,
    ),
    commitmentsOfAgency: listLoader(
      (codes: readonly string[]) => db.commitment.findMany({ where: { agencyCode: { in: [...codes] } }, orderBy: ORDER }),
      (c) => c.agencyCode,
    ),
    revisionsOfCommitment: listLoader(
      (ids: readonly string[]) => db.commitmentRevision.findMany({ where: { commitmentId: { in: [...ids] } }, orderBy: [{ revisedAt: 'asc' }, { id: 'asc' }] }),
      (r) => r.commitmentId,
    ),
  };
}

export type CollaborationLoaders = ReturnType<typeof createCollaborationLoaders>;

export type Context = SubgraphContext<CollaborationDb, CollaborationLoaders>;
