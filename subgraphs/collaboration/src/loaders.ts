import { listLoader, rowLoader, type SubgraphContext } from '@kopdes/kit';
import type { CollaborationDb } from './db';

const ORDER = [{ dueDate: 'asc' as const }, { id: 'asc' as const }];

/** Per-request loaders: agencies, commitments and revisions each batch into one statement. */
export function createCollaborationLoaders(db: CollaborationDb) {
  return {
    agency: rowLoader(
      (codes: readonly string[]) => db.agency.findMany({ where: { code: { in: [...codes] } } }),
      (a) => a.code,
    ),
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
