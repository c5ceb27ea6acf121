import { type Database, groupLoader, keyLoader, keyLookup, listLookup, rowLoader } from '@kopdes/kit';
import { type DanaDesaIntercept, type FinancingProfile, type Loan, Prisma } from '../generated/prisma/client';

const PROFILE_BY_COOPERATIVE = keyLookup<FinancingProfile>('FinancingProfile', 'cooperativeId', Object.values(Prisma.FinancingProfileScalarFieldEnum));
const LOANS_OF_COOPERATIVE = listLookup<Loan>('Loan', 'cooperativeId', Object.values(Prisma.LoanScalarFieldEnum), [
  ['appliedOn', 'asc'],
  ['id', 'asc'],
]);
const INTERCEPTS_OF_COOPERATIVE = listLookup<DanaDesaIntercept>('DanaDesaIntercept', 'cooperativeId', Object.values(Prisma.DanaDesaInterceptScalarFieldEnum), [
  ['date', 'asc'],
  ['id', 'asc'],
]);

export interface CapUseRow {
  cooperativeId: string;
  /** Intercepted in the village (all its cooperatives) in the budget year of the profile's asOf. */
  used: bigint;
  cap: bigint;
}

export function createCooperativeFinancingLoaders(database: Pick<Database<unknown>, 'read'>) {
  return {
    /** Behind `_entities` for Cooperative: one counted statement by primary key per batch (keyLoader). */
    profile: keyLoader(database, PROFILE_BY_COOPERATIVE),
    /** A cooperative's loans and intercepts: one counted statement each per batch (groupLoader). */
    loansOfCooperative: groupLoader(database, LOANS_OF_COOPERATIVE),
    interceptsOfCooperative: groupLoader(database, INTERCEPTS_OF_COOPERATIVE),
    // The cap is the village's, so usage sums every intercept in the cooperative's village that year.
    capUse: rowLoader(
      (ids: readonly string[]) =>
        database.read<CapUseRow>(
          `SELECT p."cooperativeId", sum(i.amount)::bigint AS used, max(i."capAmount") AS cap
           FROM "FinancingProfile" p
           JOIN "DanaDesaIntercept" i ON i."villageCode" = p."villageCode" AND i."budgetYear" = extract(year FROM p."updatedAt")
          WHERE p."cooperativeId" = ANY($1)
          GROUP BY 1`,
          [[...ids]],
        ),
      (r) => r.cooperativeId,
    ),
  };
}
