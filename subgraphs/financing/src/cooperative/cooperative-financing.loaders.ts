import { type Database, keyLoader, keyLookup, listLoader, rowLoader } from '@kopdes/kit';
import type { FinancingDb } from '../db';
import { type FinancingProfile, Prisma } from '../generated/prisma/client';

const PROFILE_BY_COOPERATIVE = keyLookup<FinancingProfile>('FinancingProfile', 'cooperativeId', Object.values(Prisma.FinancingProfileScalarFieldEnum));

export interface CapUseRow {
  cooperativeId: string;
  /** Intercepted in the village (all its cooperatives) in the budget year of the profile's asOf. */
  used: bigint;
  cap: bigint;
}

export function createCooperativeFinancingLoaders(db: FinancingDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    /** Behind `_entities` for Cooperative: one counted statement by primary key per batch (keyLoader). */
    profile: keyLoader(database, PROFILE_BY_COOPERATIVE),
    loansOfCooperative: listLoader(
      (ids: readonly string[]) => db.loan.findMany({ where: { cooperativeId: { in: [...ids] } }, orderBy: [{ appliedOn: 'asc' }, { id: 'asc' }] }),
      (l) => l.cooperativeId,
    ),
    interceptsOfCooperative: listLoader(
      (ids: readonly string[]) => db.danaDesaIntercept.findMany({ where: { cooperativeId: { in: [...ids] } }, orderBy: [{ date: 'asc' }, { id: 'asc' }] }),
      (i) => i.cooperativeId,
    ),
    // The cap is the village's, so usage sums every intercept in the cooperative's village that year.
    capUse: rowLoader(
      (ids: readonly string[]) =>
        db.$queryRawUnsafe<CapUseRow[]>(
          `SELECT p."cooperativeId", sum(i.amount)::bigint AS used, max(i."capAmount") AS cap
           FROM "FinancingProfile" p
           JOIN "DanaDesaIntercept" i ON i."villageCode" = p."villageCode" AND i."budgetYear" = extract(year FROM p."updatedAt")
          WHERE p."cooperativeId" = ANY($1)
          GROUP BY 1`,
          [...ids],
        ),
      (r) => r.cooperativeId,
    ),
  };
}
